"""What a report reads: the records, their period and the calendar they are counted in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from cs8._models import Agent, Customer, Interaction, Order, SurveyResponse, Ticket
from cs8.sla import BusinessCalendar, SlaPolicy
from cs8.surveys import ServqualResponse

__all__ = ["ServiceData"]


# One converter per record type: attrs' mypy plugin types a field by its converter's argument,
# so users may pass lists (a bare ``tuple`` converter would reject them under mypy --strict).
def _customers(values: Iterable[Customer]) -> tuple[Customer, ...]:
    return tuple(values)


def _agents(values: Iterable[Agent]) -> tuple[Agent, ...]:
    return tuple(values)


def _tickets(values: Iterable[Ticket]) -> tuple[Ticket, ...]:
    return tuple(values)


def _interactions(values: Iterable[Interaction]) -> tuple[Interaction, ...]:
    return tuple(values)


def _orders(values: Iterable[Order]) -> tuple[Order, ...]:
    return tuple(values)


def _surveys(values: Iterable[SurveyResponse]) -> tuple[SurveyResponse, ...]:
    return tuple(values)


def _servqual(values: Iterable[ServqualResponse]) -> tuple[ServqualResponse, ...]:
    return tuple(values)


def _dates(values: Iterable[date]) -> tuple[date, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class ServiceData:
    """Everything a report reads: the records and the period, zone and opening hours.

    Args:
        customers: Customers (their segments group the breakdowns).
        agents: Agents (their teams and languages).
        tickets: Tickets.
        interactions: Contacts (calls, chats ...).
        orders: Orders.
        surveys: CSAT, NPS and CES answers.
        servqual: SERVQUAL answers, when there are any.
        start: Start of the period (default: the first recorded instant).
        end: End of the period, exclusive (default: just after the last recorded instant).
        timezone: IANA zone of the data, used when there is no calendar.
        hours: Opening hours by weekday; with them durations are also counted in business hours.
        holidays: Closed days.
        calendar: A ready business calendar; it wins over ``timezone``, ``hours`` and ``holidays``.
        policy: The SLA policy (default: :func:`cs8.report.default_policy`).
        rejected: How many input rows were rejected while loading (reported in the notes).
        source: What the data is, for the report's header.

    Example:
        >>> data = ServiceData(tickets=(), timezone="UTC")
        >>> data.calendar().timezone, data.has_calendar
        ('UTC', False)
    """

    customers: tuple[Customer, ...] = attrs.field(default=(), converter=_customers)
    agents: tuple[Agent, ...] = attrs.field(default=(), converter=_agents)
    tickets: tuple[Ticket, ...] = attrs.field(default=(), converter=_tickets)
    interactions: tuple[Interaction, ...] = attrs.field(default=(), converter=_interactions)
    orders: tuple[Order, ...] = attrs.field(default=(), converter=_orders)
    surveys: tuple[SurveyResponse, ...] = attrs.field(default=(), converter=_surveys)
    servqual: tuple[ServqualResponse, ...] = attrs.field(default=(), converter=_servqual)
    start: datetime | None = None
    end: datetime | None = None
    timezone: str = "UTC"
    hours: Mapping[str, Sequence[tuple[str, str]]] | None = None
    holidays: tuple[date, ...] = attrs.field(default=(), converter=_dates)
    business_calendar: BusinessCalendar | None = None
    policy: SlaPolicy | None = None
    rejected: int = 0
    source: str = "data"

    @classmethod
    def from_shop(cls, shop: Any) -> ServiceData:
        """Wrap a :class:`cs8.datasets.SampleShop`.

        Example:
            >>> from cs8.datasets import sample_shop
            >>> ServiceData.from_shop(sample_shop(n_customers=50, weeks=1)).timezone
            'Asia/Ho_Chi_Minh'
        """
        return cls(
            customers=shop.customers,
            agents=shop.agents,
            tickets=shop.tickets,
            interactions=shop.interactions,
            orders=shop.orders,
            surveys=shop.surveys,
            start=shop.start,
            end=shop.end,
            timezone=shop.timezone,
            hours=dict(shop.hours),
            holidays=shop.holidays,
            source=f"sample shop (seed {shop.seed})",
        )

    @classmethod
    def from_dataset(cls, dataset: Any) -> ServiceData:
        """Wrap a ``cs8.io.Dataset`` from a vendor reader (``read_zendesk`` and friends).

        Reads its ``tickets``, ``customers``, ``agents``, ``interactions``, ``surveys``,
        ``rejected``, ``calendar``, ``policy`` and ``source``; a missing one is empty.

        Example:
            >>> from types import SimpleNamespace
            >>> ServiceData.from_dataset(SimpleNamespace(source="zendesk", tickets=())).source
            'zendesk'
        """
        calendar = getattr(dataset, "calendar", None)
        return cls(
            customers=getattr(dataset, "customers", ()),
            agents=getattr(dataset, "agents", ()),
            tickets=getattr(dataset, "tickets", ()),
            interactions=getattr(dataset, "interactions", ()),
            surveys=getattr(dataset, "surveys", ()),
            business_calendar=calendar,
            timezone=calendar.timezone if calendar is not None else "UTC",
            policy=getattr(dataset, "policy", None),
            rejected=len(getattr(dataset, "rejected", ())),
            source=str(getattr(dataset, "source", "data")),
        )

    @property
    def has_calendar(self) -> bool:
        """Whether business hours are known (then durations are also given in business time)."""
        return self.business_calendar is not None or bool(self.hours)

    def calendar(self) -> BusinessCalendar:
        """Return the business calendar of the data (24/7 in its zone when no hours are known).

        Example:
            >>> ServiceData(timezone="Asia/Ho_Chi_Minh").calendar().is_open(
            ...     datetime.fromisoformat("2026-01-01T03:00:00+07:00"))
            True
        """
        if self.business_calendar is not None:
            return self.business_calendar
        if not self.hours:
            return BusinessCalendar.always_open(timezone=self.timezone)
        return BusinessCalendar(timezone=self.timezone, hours=self.hours, holidays=self.holidays)

    def period(self) -> tuple[datetime, datetime] | None:
        """Return ``(start, end)``: as given, or from the first and last recorded instants.

        Example:
            >>> ServiceData().period() is None
            True
        """
        if self.start is not None and self.end is not None:
            return self.start, self.end
        instants = [t.created_at for t in self.tickets] + [i.started_at for i in self.interactions]
        instants += [e.at for t in self.tickets for e in t.events[-1:]]
        if not instants:
            return None
        return min(instants), max(instants) + timedelta(seconds=1)
