"""The sample shop: customers, agents, tickets, interactions, orders and surveys for one quarter.

Everything is drawn from seeded :class:`random.Random` streams, so ``sample_shop(seed=0)`` is the same on
every machine and Python version. The shapes follow what contact-centre and e-commerce data show:

- arrivals follow the shop's opening hours and weekdays (evening peaks for an online shop, quieter
  Sundays), with Vietnam's National Day (2 September) and the day before closed;
- reply, wait, talk and resolution times are log-normal (skewed, with long tails);
- tickets carry replies, pending periods waiting for the customer, priority changes, reassignments,
  reopens, and a backlog still open at the end of the quarter;
- chat starts with a bot; a share is handed to a person (``previous_id`` links the two); some
  customers move between channels; the shop contacts some customers proactively (delivery delays);
- orders (with refunds), and CSAT, NPS and CES answers whose scores depend on the service received;
- every ticket message has a text in the customer's language, Vietnamese or English
  (:mod:`cs8.datasets._shop_text`), and every order a product category (mostly the customer's
  favourite), each drawn from a further stream of the same seed, so neither moves anything else.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import TypeVar

import attrs

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
from cs8.datasets._shop_text import with_text
from cs8.exceptions import InvalidValueError

__all__ = ["SampleShop", "sample_shop"]

_T = TypeVar("_T")

TZ_NAME = "Asia/Ho_Chi_Minh"
_TZ = timezone(timedelta(hours=7))
_START = date(2026, 7, 6)  # a Monday: the quarter runs 13 weeks from here
_HOLIDAYS = (date(2026, 9, 1), date(2026, 9, 2))

# Opening hours of the shop's service desk (local time): Mon-Sat 08:00-21:00, Sun 09:00-17:00.
_HOURS = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat"), (("08:00", "21:00"),))
_HOURS["sun"] = (("09:00", "17:00"),)
_OPEN = {0: (8, 21), 1: (8, 21), 2: (8, 21), 3: (8, 21), 4: (8, 21), 5: (8, 21), 6: (9, 17)}

_SEGMENTS = (
    (
        CustomerSegment.VIP,
        0.04,
        4.0,
        9.0,
    ),  # segment, share, tickets per quarter, orders per quarter
    (CustomerSegment.REPEAT, 0.30, 1.8, 3.2),
    (CustomerSegment.ONE_TIME, 0.46, 0.9, 1.0),
    (CustomerSegment.PROSPECT, 0.20, 0.45, 0.0),
)
_CHANNELS = (
    (Channel.CHAT, 0.30),
    (Channel.EMAIL, 0.24),
    (Channel.MESSAGING, 0.18),
    (Channel.PHONE, 0.16),
    (Channel.SOCIAL, 0.12),
)
# category, share, skill, complaint?
_CATEGORIES = (
    ("delivery", 0.30, "delivery", False),
    ("product", 0.18, "product", False),
    ("refund", 0.14, "refunds", False),
    ("payment", 0.12, "billing", False),
    ("order_change", 0.10, "delivery", False),
    ("account", 0.08, "tech", False),
    ("complaint", 0.08, "complaints", True),
)
# Median first reply (minutes) and log-normal sigma per channel.
_FIRST_REPLY = {
    Channel.CHAT: (1.5, 0.9),
    Channel.MESSAGING: (12.0, 1.0),
    Channel.SOCIAL: (35.0, 1.0),
    Channel.EMAIL: (150.0, 0.9),
    Channel.PHONE: (0.0, 0.0),
}
# Relative arrivals by local hour (an online shop: a morning rise and an evening peak).
_HOURLY = (
    0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1.2, 1.6, 1.7, 1.6,
    1.2, 1.3, 1.5, 1.5, 1.4, 1.3, 1.2, 1.4, 1.7, 1.6, 1.0, 0.5,
)  # fmt: skip
_WEEKDAY = (1.25, 1.1, 1.0, 1.0, 1.05, 0.85, 0.6)
_FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
)
_GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh",
          "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngọc", "Phúc", "Quân", "Thảo", "Trang",
          "Tuấn", "Vy")  # fmt: skip
_CITIES = ("Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế", "Nha Trang")


@attrs.frozen(kw_only=True)
class SampleShop:
    """A generated quarter of an online shop's customer service.

    Attributes:
        customers, agents, tickets, interactions, orders, surveys: The records.
        start: First instant of the period (local midnight of its first Monday).
        end: End of the period (exclusive); events after it have not happened yet.
        timezone: The shop's IANA time zone.
        hours: Opening hours per weekday, in the form :class:`cs8.sla.BusinessCalendar` takes.
        holidays: Local dates the desk is closed.
        seed: The seed it was drawn with.

    Example:
        >>> shop = sample_shop(n_customers=100, weeks=1)
        >>> shop.end - shop.start
        datetime.timedelta(days=7)
    """

    customers: tuple[Customer, ...]
    agents: tuple[Agent, ...]
    tickets: tuple[Ticket, ...]
    interactions: tuple[Interaction, ...]
    orders: tuple[Order, ...]
    surveys: tuple[SurveyResponse, ...]
    start: datetime
    end: datetime
    timezone: str
    hours: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    holidays: tuple[date, ...]
    seed: int

    def summary(self) -> str:
        """Return one line counting each kind of record.

        Example:
            >>> sample_shop(n_customers=50, weeks=1).summary().split(":")[0]
            'sample shop 2026-07-06..2026-07-12'
        """
        last = (self.end - timedelta(days=1)).date()
        return (
            f"sample shop {self.start.date()}..{last}: {len(self.customers)} customers, "
            f"{len(self.agents)} agents, {len(self.tickets)} tickets, "
            f"{len(self.interactions)} interactions, {len(self.orders)} orders, "
            f"{len(self.surveys)} survey responses"
        )


def _weighted(rng: random.Random, options: Sequence[tuple[_T, float]]) -> _T:
    total = sum(w for _, w in options)
    x = rng.random() * total
    for value, weight in options:
        x -= weight
        if x < 0:
            return value
    return options[-1][0]


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(sigma * rng.gauss(0.0, 1.0)) if median > 0 else 0.0


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class _Clock:
    """Opening hours of the desk, for pushing agent work into open time."""

    def __init__(self, holidays: Sequence[date]) -> None:
        self.holidays = frozenset(holidays)

    def is_open(self, t: datetime) -> bool:
        if t.date() in self.holidays:
            return False
        opens, closes = _OPEN[t.weekday()]
        return opens <= t.hour < closes

    def next_open(self, t: datetime) -> datetime:
        for _ in range(10):
            if self.is_open(t):
                return t
            opens = _OPEN[t.weekday()][0]
            if t.date() not in self.holidays and t.hour < opens:
                return t.replace(hour=opens, minute=0, second=0)
            t = (t + timedelta(days=1)).replace(hour=0, minute=0, second=0)
        return t

    def work(self, t: datetime, minutes: float) -> datetime:
        """Return when ``minutes`` of agent reaction time after ``t`` ends, counting open time."""
        t = self.next_open(t)
        remaining = timedelta(minutes=minutes)
        while remaining > timedelta(0):
            closes = t.replace(hour=_OPEN[t.weekday()][1], minute=0, second=0)
            if t + remaining < closes:
                return t + remaining
            remaining -= closes - t
            t = self.next_open(closes)
        return t


def sample_shop(seed: int = 0, *, n_customers: int = 3000, weeks: int = 13) -> SampleShop:
    """Build a deterministic quarter of a Vietnamese online shop's customer service.

    Args:
        seed: The random seed; the same seed gives the same data everywhere.
        n_customers: How many customers (tickets, orders and contacts scale with it).
        weeks: How many weeks, from Monday 6 July 2026.

    Raises:
        InvalidValueError: If ``n_customers`` or ``weeks`` is not positive.

    Example:
        >>> shop = sample_shop(n_customers=300, weeks=4)
        >>> shop == sample_shop(n_customers=300, weeks=4)
        True
        >>> sorted({t.channel.value for t in shop.tickets})
        ['chat', 'email', 'messaging', 'phone', 'social']
    """
    if n_customers < 1:
        raise InvalidValueError(f"sample_shop n_customers must be positive, got {n_customers!r}")
    if weeks < 1:
        raise InvalidValueError(f"sample_shop weeks must be positive, got {weeks!r}")
    rng = random.Random(seed)
    start = datetime(_START.year, _START.month, _START.day, tzinfo=_TZ)
    end = start + timedelta(weeks=weeks)
    holidays = tuple(d for d in _HOLIDAYS if start.date() <= d < end.date())
    clock = _Clock(holidays)
    builder = _Builder(rng, start, end, clock)
    customers, plans = builder.customers(n_customers)
    agents = builder.agents(max(6, n_customers // 120))
    orders = builder.orders(customers, plans)
    tickets, interactions = builder.tickets(customers, plans, agents)
    interactions += builder.extra_contacts(customers, orders)
    surveys = builder.surveys(customers, tickets)
    tickets = with_text(tickets, seed)  # last, from its own random stream: nothing else moves
    orders = _with_categories(orders, customers, seed)  # likewise
    interactions.sort(key=lambda i: (i.started_at, i.id))
    return SampleShop(
        customers=tuple(customers),
        agents=tuple(agents),
        tickets=tuple(tickets),
        interactions=tuple(interactions),
        orders=tuple(orders),
        surveys=tuple(surveys),
        start=start,
        end=end,
        timezone=TZ_NAME,
        hours=tuple((day, spans) for day, spans in _HOURS.items()),
        holidays=holidays,
        seed=seed,
    )


_PRODUCTS = (
    ("fashion", 0.3),
    ("beauty", 0.25),
    ("home", 0.2),
    ("baby", 0.15),
    ("electronics", 0.1),
)
"""Product categories of the sample's orders and their shares."""


def _with_categories(orders: list[Order], customers: list[Customer], seed: int) -> list[Order]:
    """Give each order a product category: mostly the customer's favourite, sometimes another.

    Drawn from a stream of its own (after everything else), so no other field of the sample moves.
    """
    rng = random.Random(f"cs8 sample categories {seed}")
    names = [name for name, _ in _PRODUCTS]
    shares = [share for _, share in _PRODUCTS]
    favourite = {c.id: rng.choices(names, shares)[0] for c in customers}
    return [
        attrs.evolve(
            o,
            category=favourite[o.customer_id]
            if rng.random() < 0.7
            else rng.choices(names, shares)[0],
        )
        for o in orders
    ]


@attrs.define
class _Plan:
    tickets: float
    orders: float


class _Builder:
    def __init__(self, rng: random.Random, start: datetime, end: datetime, clock: _Clock) -> None:
        self.rng = rng
        self.start = start
        self.end = end
        self.clock = clock
        self.days = (end - start).days
        self.day_weights = [
            0.0 if (start + timedelta(days=d)).date() in clock.holidays
            else _WEEKDAY[(start + timedelta(days=d)).weekday()]
            for d in range(self.days)
        ]  # fmt: skip
        self.interaction_seq = 0

    # -------------------------------------------------------------- arrivals

    def arrival(self) -> datetime:
        rng = self.rng
        day = rng.choices(range(self.days), weights=self.day_weights)[0]
        hour = rng.choices(range(24), weights=_HOURLY)[0]
        return self.start + timedelta(days=day, hours=hour, seconds=rng.randrange(3600))

    # -------------------------------------------------------------- people

    def customers(self, n: int) -> tuple[list[Customer], dict[str, _Plan]]:
        rng = self.rng
        customers: list[Customer] = []
        plans: dict[str, _Plan] = {}
        options = [(s, share) for s, share, _, _ in _SEGMENTS]
        rates = {s: (t, o) for s, _, t, o in _SEGMENTS}
        for i in range(n):
            segment = _weighted(rng, options)
            cid = f"C{i + 1:05d}"
            acquired = None
            if segment is not CustomerSegment.PROSPECT:
                back = timedelta(
                    days=rng.uniform(0, 900 if segment is not CustomerSegment.ONE_TIME else 120)
                )
                acquired = self.start - back if rng.random() < 0.8 else self.arrival()
            churned = None
            if segment is CustomerSegment.REPEAT and rng.random() < 0.04:
                churned = self.arrival()
            name = f"{rng.choice(_FAMILY)} {rng.choice(_GIVEN)}"
            customers.append(
                Customer(
                    id=cid,
                    segment=segment,
                    name=name,
                    timezone=TZ_NAME,
                    language="vi" if rng.random() < 0.93 else "en",
                    acquired_at=acquired,
                    churned_at=churned,
                    attributes={"city": rng.choice(_CITIES)},
                )
            )
            tickets_rate, orders_rate = rates[segment]
            plans[cid] = _Plan(tickets=tickets_rate, orders=orders_rate)
        return customers, plans

    def agents(self, n: int) -> list[Agent]:
        rng = self.rng
        teams = (
            ("voice", frozenset({Channel.PHONE}), 1),
            ("digital", frozenset({Channel.CHAT, Channel.MESSAGING, Channel.SOCIAL}), 4),
            ("email", frozenset({Channel.EMAIL, Channel.SOCIAL}), 8),
        )
        skills = ("delivery", "product", "refunds", "billing", "tech", "complaints")
        agents = []
        for i in range(n):
            team, channels, capacity = teams[i % len(teams)]
            levels = {s: rng.randint(1, 5) for s in skills if rng.random() < 0.6}
            levels.setdefault("delivery", rng.randint(1, 3))
            if i % 7 == 0:
                levels["complaints"] = max(levels.get("complaints", 0), 4)
                levels["vip"] = 5
            agents.append(
                Agent(
                    id=f"A{i + 1:03d}",
                    skills=levels,
                    channels=channels,
                    capacity=capacity,
                    status=rng.choices(
                        [
                            AgentStatus.ONLINE,
                            AgentStatus.AWAY,
                            AgentStatus.BUSY,
                            AgentStatus.OFFLINE,
                        ],
                        weights=[0.6, 0.1, 0.15, 0.15],
                    )[0],
                    team=team,
                    languages=frozenset({"vi", "en"}) if rng.random() < 0.35 else frozenset({"vi"}),
                )
            )
        return agents

    # -------------------------------------------------------------- orders

    def orders(self, customers: list[Customer], plans: dict[str, _Plan]) -> list[Order]:
        rng = self.rng
        weeks = self.days / 7
        orders: list[Order] = []
        for customer in customers:
            count = _poisson(rng, plans[customer.id].orders * weeks / 13)
            median = 900_000 if customer.segment is CustomerSegment.VIP else 320_000
            for _ in range(count):
                at = self.arrival()
                amount = max(10_000, round(_lognormal(rng, median, 0.8), -3))
                orders.append(
                    Order(
                        id=f"O{len(orders) + 1:06d}",
                        customer_id=customer.id,
                        at=at,
                        amount=Decimal(int(amount)),
                    )
                )
        orders.sort(key=lambda o: (o.at, o.id))
        return orders

    # -------------------------------------------------------------- tickets

    def tickets(
        self, customers: list[Customer], plans: dict[str, _Plan], agents: list[Agent]
    ) -> tuple[list[Ticket], list[Interaction]]:
        rng = self.rng
        weeks = self.days / 7
        by_channel: dict[Channel, list[Agent]] = {}
        for agent in agents:
            for channel in agent.channels:
                by_channel.setdefault(channel, []).append(agent)
        tickets: list[Ticket] = []
        interactions: list[Interaction] = []
        categories = [(c, share) for c, share, _, _ in _CATEGORIES]
        skill_of = {c: skill for c, _, skill, _ in _CATEGORIES}
        for customer in customers:
            for _ in range(_poisson(rng, plans[customer.id].tickets * weeks / 13)):
                created = self.arrival()
                channel = _weighted(rng, _CHANNELS)
                category = _weighted(rng, categories)
                tid = f"T{len(tickets) + 1:06d}"
                pool = [
                    a for a in by_channel[channel] if skill_of[category] in a.skills
                ] or by_channel[channel]
                ticket, contacts = self.ticket(tid, customer, channel, category, created, pool)
                tickets.append(ticket)
                interactions.extend(contacts)
        tickets.sort(key=lambda t: (t.created_at, t.id))
        return tickets, interactions

    def ticket(
        self,
        tid: str,
        customer: Customer,
        channel: Channel,
        category: str,
        created: datetime,
        pool: list[Agent],
    ) -> tuple[Ticket, list[Interaction]]:
        rng = self.rng
        clock = self.clock
        vip = customer.segment is CustomerSegment.VIP
        priority = rng.choices(
            [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT], weights=[15, 60, 20, 5]
        )[0]
        if vip and priority < Priority.HIGH:
            priority = Priority.HIGH
        agent_created = rng.random() < 0.03
        events: list[TicketEvent] = []
        contacts: list[Interaction] = []
        agent = rng.choice(pool)
        t = created

        def add(event: TicketEvent) -> None:
            events.append(event)

        if channel is Channel.CHAT and not agent_created and rng.random() < 0.45:
            # A bot session first, handed to a person: the ticket starts at the handoff.
            bot = self._contact(
                customer,
                channel,
                created - timedelta(minutes=rng.uniform(1, 4)),
                bot=True,
                ticket_id=tid,
            )
            contacts.append(bot)
        if agent_created:
            add(Message(at=t, author=ActorKind.AGENT, author_id=agent.id))
        else:
            add(Message(at=t, author=ActorKind.CUSTOMER, author_id=customer.id))
        t = clock.work(t, _lognormal(rng, 4.0, 1.0))
        add(Assignment(at=t, agent_id=agent.id, group=agent.team))
        add(StatusChange(at=t, status=TicketStatus.OPEN))
        if rng.random() < 0.05:
            t = t + timedelta(minutes=rng.uniform(1, 30))
            add(PriorityChange(at=t, priority=Priority.from_rank(priority.rank + 1)))
        if channel is Channel.CHAT:
            # The live chat with a person; after a bot session it continues that session.
            previous = contacts[-1].id if contacts else None
            contacts.append(
                self._contact(
                    customer, channel, created, ticket_id=tid, agent=agent, previous_id=previous
                )
            )
        if channel is Channel.PHONE:
            call = self._contact(customer, channel, created, ticket_id=tid, agent=agent)
            contacts.append(call)
            if call.answered_at is None:
                # The customer gave up; an agent calls back later.
                t = clock.work(max(t, call.ended_at or t), _lognormal(rng, 45.0, 0.8))
            else:
                t = max(t, call.answered_at)
        else:
            median, sigma = _FIRST_REPLY[channel]
            minutes = _lognormal(rng, median, sigma)
            if priority >= Priority.HIGH:
                minutes *= 0.6
            t = clock.work(t, minutes)
        replies = 1 + min(4, int(rng.expovariate(1.1)))
        for reply in range(replies):
            add(Message(at=t, author=ActorKind.AGENT, author_id=agent.id))
            if reply == replies - 1:
                break
            if rng.random() < 0.35:
                add(StatusChange(at=t, status=TicketStatus.PENDING))
                t = t + timedelta(hours=_lognormal(rng, 5.0, 1.1))
                add(Message(at=t, author=ActorKind.CUSTOMER, author_id=customer.id))
                add(StatusChange(at=t, status=TicketStatus.OPEN))
            else:
                t = t + timedelta(hours=_lognormal(rng, 2.0, 1.2))
                add(Message(at=t, author=ActorKind.CUSTOMER, author_id=customer.id))
            if rng.random() < 0.08 and len(pool) > 1:
                agent = rng.choice(pool)
                t = t + timedelta(minutes=rng.uniform(1, 20))
                add(Assignment(at=t, agent_id=agent.id, group=agent.team))
            if rng.random() < 0.06 and category != "account":
                add(StatusChange(at=t, status=TicketStatus.ON_HOLD))
                t = t + timedelta(hours=_lognormal(rng, 8.0, 0.8))
                add(StatusChange(at=t, status=TicketStatus.OPEN))
            t = clock.work(t, _lognormal(rng, 60.0 if channel is Channel.EMAIL else 8.0, 1.0))
        t = t + timedelta(minutes=rng.uniform(0, 15))
        add(StatusChange(at=t, status=TicketStatus.SOLVED))
        if rng.random() < 0.07:
            t = t + timedelta(hours=_lognormal(rng, 20.0, 0.9))
            add(Message(at=t, author=ActorKind.CUSTOMER, author_id=customer.id))
            add(StatusChange(at=t, status=TicketStatus.OPEN))
            t = clock.work(t, _lognormal(rng, 90.0, 1.0))
            add(Message(at=t, author=ActorKind.AGENT, author_id=agent.id))
            add(StatusChange(at=t, status=TicketStatus.SOLVED))
        add(StatusChange(at=t + timedelta(days=4), status=TicketStatus.CLOSED))
        if rng.random() < 0.05 and channel is not Channel.PHONE:
            # The customer also followed up on another channel.
            follow = rng.choice(
                [c for c in (Channel.PHONE, Channel.EMAIL, Channel.CHAT) if c is not channel]
            )
            previous = contacts[-1].id if contacts else None
            at = created + timedelta(hours=rng.uniform(1, 24))
            contacts.append(
                self._contact(
                    customer, follow, at, ticket_id=tid, agent=agent, previous_id=previous
                )
            )
        happened = tuple(e for e in events if e.at < self.end)
        tags = {"vip"} if vip else set()
        if category == "complaint":
            tags.add("complaint")
        ticket = Ticket(
            id=tid,
            customer_id=customer.id,
            channel=channel,
            created_at=created,
            priority=priority,
            category=category,
            events=happened,
            tags=frozenset(tags),
            language=customer.language,
            created_by=ActorKind.AGENT if agent_created else ActorKind.CUSTOMER,
        )
        return ticket, [c for c in contacts if c.started_at < self.end]

    def _contact(
        self,
        customer: Customer,
        channel: Channel,
        at: datetime,
        *,
        bot: bool = False,
        ticket_id: str | None = None,
        agent: Agent | None = None,
        previous_id: str | None = None,
        proactive: bool = False,
    ) -> Interaction:
        rng = self.rng
        self.interaction_seq += 1
        iid = f"I{self.interaction_seq:07d}"
        sentiment = max(-1.0, min(1.0, rng.gauss(0.15, 0.4)))
        if bot:
            ended = at + timedelta(seconds=_lognormal(rng, 120, 0.5))
            return Interaction(
                id=iid, customer_id=customer.id, channel=channel, started_at=at, answered_at=at,
                ended_at=ended, handled_by=ActorKind.BOT, ticket_id=ticket_id,
                talk_time=ended - at, queue="bot", sentiment=round(sentiment, 2),
            )  # fmt: skip
        direction = Direction.OUTBOUND if proactive else Direction.INBOUND
        wait = timedelta(
            seconds=round(_lognormal(rng, 11 if channel is Channel.PHONE else 14, 0.9))
        )
        patience = timedelta(seconds=round(rng.expovariate(1 / 300)))
        if not proactive and patience < wait:
            return Interaction(
                id=iid, customer_id=customer.id, channel=channel, started_at=at,
                ended_at=at + patience, ticket_id=ticket_id, queue="general",
                previous_id=previous_id,
            )  # fmt: skip
        if proactive:
            wait = timedelta(0)
        answered = at + wait
        talk = timedelta(seconds=round(_lognormal(rng, 240, 0.6)))
        hold = (
            timedelta(seconds=round(_lognormal(rng, 40, 0.7)))
            if rng.random() < 0.25
            else timedelta(0)
        )
        wrap = timedelta(seconds=round(_lognormal(rng, 45, 0.5)))
        return Interaction(
            id=iid, customer_id=customer.id, channel=channel, started_at=at, answered_at=answered,
            ended_at=answered + talk + hold, direction=direction,
            agent_id=agent.id if agent else None, ticket_id=ticket_id,
            queue="vip" if customer.segment is CustomerSegment.VIP else "general",
            talk_time=talk, hold_time=hold, wrap_time=wrap, proactive=proactive,
            previous_id=previous_id, sentiment=round(sentiment, 2),
        )  # fmt: skip

    def extra_contacts(self, customers: list[Customer], orders: list[Order]) -> list[Interaction]:
        """Bot chats resolved without a person, and proactive delivery-delay contacts."""
        rng = self.rng
        by_id = {c.id: c for c in customers}
        contacts: list[Interaction] = []
        for customer in customers:
            if rng.random() < 0.25:
                contacts.append(self._contact(customer, Channel.CHAT, self.arrival(), bot=True))
        for order in orders:
            if rng.random() < 0.04:
                at = self.clock.next_open(order.at + timedelta(days=rng.uniform(1, 3)))
                channel = rng.choice([Channel.PHONE, Channel.MESSAGING, Channel.EMAIL])
                contact = self._contact(by_id[order.customer_id], channel, at, proactive=True)
                if contact.started_at < self.end:
                    contacts.append(contact)
        return contacts

    # -------------------------------------------------------------- surveys

    def surveys(self, customers: list[Customer], tickets: list[Ticket]) -> list[SurveyResponse]:
        rng = self.rng
        responses: list[SurveyResponse] = []
        for ticket in tickets:
            solved = ticket.solved_at
            if solved is None:
                continue
            at = solved + timedelta(hours=rng.uniform(2, 30))
            if at >= self.end:
                continue
            first = ticket.first_reply_at
            slow = first is not None and first - ticket.created_at > timedelta(hours=8)
            penalty = (
                0.9 * slow
                + 1.2 * (ticket.reopen_count > 0)
                + 0.6 * (ticket.category == "complaint")
            )
            if rng.random() < 0.32:
                score = round(4.45 - penalty + rng.gauss(0, 0.75))
                responses.append(
                    SurveyResponse(kind=SurveyKind.CSAT, score=min(5, max(1, score)), at=at,
                                   customer_id=ticket.customer_id, ticket_id=ticket.id,
                                   agent_id=ticket.assignee, channel=ticket.channel)
                )  # fmt: skip
            if rng.random() < 0.14:
                effort = round(5.6 - 1.1 * penalty + rng.gauss(0, 1.0))
                responses.append(
                    SurveyResponse(kind=SurveyKind.CES, score=min(7, max(1, effort)), at=at,
                                   customer_id=ticket.customer_id, ticket_id=ticket.id,
                                   agent_id=ticket.assignee, channel=ticket.channel)
                )  # fmt: skip
        lean = {
            CustomerSegment.VIP: 1.2,
            CustomerSegment.REPEAT: 0.6,
            CustomerSegment.ONE_TIME: -0.2,
            CustomerSegment.PROSPECT: -0.6,
        }
        for customer in customers:
            if rng.random() < 0.15:
                score = round(7.6 + lean[customer.segment] + rng.gauss(0, 2.0))
                responses.append(
                    SurveyResponse(kind=SurveyKind.NPS, score=min(10, max(0, score)), at=self.arrival(),
                                   customer_id=customer.id)
                )  # fmt: skip
        responses.sort(key=lambda r: (r.at, r.kind.value, r.customer_id or ""))
        return responses
