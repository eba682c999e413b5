"""A backlog made ready for :meth:`cs8.routing.Router.assign` (internal): its tickets checked, each
ticket's plan, the queue order, and the order cut into runs the pool serves in one call.

Split from ``_router.py`` (which keeps the router itself) to keep each module under 800 lines; the
functions here read plans and tickets by column (C-level maps, no Python loop body per ticket).

Example:
    >>> list(_runs([3, 1, 2, 0], {2}))
    [([3, 1], 2), ([0], None)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from operator import attrgetter, itemgetter

from cs8._models import Customer, Ticket
from cs8.exceptions import InvalidValueError
from cs8.routing._context import RoutingContext, SlaInput, check_context
from cs8.routing._plan import _Plan, _Prepared, _previous_agent
from cs8.routing._planner import Planner
from cs8.routing._pool import Need

__all__ = ["_backlog", "_general_positions", "_needs", "_plan_backlog", "_queue_order", "_runs"]

_INF = math.inf

_CUSTOMER_TYPES = frozenset({Customer, type(None)})  # what a backlog's customer may be

# Column reads of a backlog (C-level maps instead of a Python loop body per ticket).
_PREPARED = itemgetter(0)  # a plan's prepared actions
_SIMPLE = attrgetter("simple")
_NEEDS = attrgetter("needs")
_CHANNEL = attrgetter("channel")
_EVENTS = attrgetter("events")
_CREATED = attrgetter("created_at")
_MINUS_RANK, _DUE = itemgetter(6), itemgetter(7)  # a plan's queue-order keys
_ID = attrgetter("id")


def _backlog(tickets: Iterable[Ticket]) -> tuple[list[Ticket], list[str]]:
    """The tickets of a backlog as a list, and their ids; raises for a non-ticket or two tickets
    with one id."""
    ticket_list = list(tickets)
    if set(map(type, ticket_list)) - {Ticket}:
        for ticket in ticket_list:
            check_context(ticket, None)  # raises for anything but a Ticket
    ids = list(map(_ID, ticket_list))
    if len(set(ids)) < len(ids):
        seen: set[str] = set()
        for ticket_id in ids:
            if ticket_id in seen:
                raise InvalidValueError(f"Router.assign: two tickets have id {ticket_id!r}")
            seen.add(ticket_id)
    return ticket_list, ids


def _plan_backlog(
    planner: Planner,
    ticket_list: list[Ticket],
    ids: list[str],
    customer_list: list[Customer | None],
    sla: Mapping[str, SlaInput] | None,
    now: datetime,
) -> tuple[list[RoutingContext | None], list[_Plan]]:
    """Every ticket's plan, and its context where one was built (``None`` where the rules read a
    view of the ticket: the decision builds its context when it is read)."""
    contexts: list[RoutingContext | None] = [None] * len(ticket_list)
    plans: list[_Plan] = []
    keep_plan = plans.append
    plan_for = planner.context_and_plan
    get_clocks = sla.get if sla else None
    # Remembered plans from plain rules: the rules read a view of each ticket (no plugin sees
    # it, no plan keeps it), and a context is built only for a ticket of a new shape.
    planned = planner.planning(now, ticket_list[0]) if ticket_list else None
    if planned is not None and get_clocks is None:  # every ticket by its shape
        if not set(map(type, customer_list)) <= _CUSTOMER_TYPES:
            for ticket, customer in zip(ticket_list, customer_list, strict=True):
                check_context(ticket, customer)  # raises for anything but a Customer
        return contexts, list(map(planned, ticket_list, customer_list))
    for position, ticket in enumerate(ticket_list):
        customer = customer_list[position]
        clocks = get_clocks(ids[position]) if get_clocks else None
        if planned is not None and clocks is None:
            if customer is not None and type(customer) is not Customer:
                check_context(ticket, customer)  # raises for anything but a Customer
            keep_plan(planned(ticket, customer))
        else:
            ctx, plan = plan_for(ticket, now, customer, clocks)
            contexts[position] = ctx
            keep_plan(plan)
    return contexts, plans


def _queue_order(ticket_list: list[Ticket], ids: list[str], plans: list[_Plan]) -> list[int]:
    """Positions in queue order (queue_key: priority, SLA due time, age, id; ids are unique, so
    the order is total), by stable sorts on one part at a time from the last to the first: each
    sort compares plain strings, numbers or datetimes, far faster than comparing tuples. The
    models keep instants with a fixed UTC offset, so datetimes compare as the instants they are
    (in C, without an epoch-seconds conversion per ticket)."""
    created = list(map(_CREATED, ticket_list))
    order = sorted(range(len(ids)), key=ids.__getitem__)
    order.sort(key=created.__getitem__)
    dues = list(map(_DUE, plans))
    if dues and min(dues) < _INF:
        order.sort(key=dues.__getitem__)
    order.sort(key=list(map(_MINUS_RANK, plans)).__getitem__)
    return order


def _general_positions(
    fast: bool, plans: list[_Plan], ticket_list: list[Ticket]
) -> set[int] | None:
    """The positions of the tickets that take the router's general path (``None``: all of them,
    without ``fast``): a plan that is not simple (see ``_Prepared``), or a reopened ticket with
    a previous agent to prefer."""
    if not fast:
        return None
    if all(map(_SIMPLE, map(_PREPARED, plans))) and not any(map(_EVENTS, ticket_list)):
        return set()  # the common backlog: every ticket on the fast path
    return {
        position
        for position, (plan, ticket) in enumerate(zip(plans, ticket_list, strict=True))
        if not plan[0].simple or (ticket.events and _previous_agent(ticket))
    }


def _runs(order: list[int], general: set[int] | None) -> Iterator[tuple[list[int], int | None]]:
    """``order`` cut into runs of fast-path positions, each followed by one position of the
    general path (or ``None`` after the last run)."""
    if general is None:
        for position in order:
            yield [], position
        return
    if not general:
        yield order, None
        return
    run: list[int] = []
    for position in order:
        if position in general:
            yield run, position
            run = []
        else:
            run.append(position)
    if run:
        yield run, None


def _needs(preps: list[_Prepared], tickets: list[Ticket]) -> list[Need]:
    """The need of each ticket under its prepared actions (made once per actions and channel)."""
    channels = list(map(_CHANNEL, tickets))
    try:
        return list(map(dict.__getitem__, map(_NEEDS, preps), channels))
    except KeyError:  # a channel these actions have not served yet
        for prep, channel in zip(preps, channels, strict=True):
            prep.need(channel)
        return list(map(dict.__getitem__, map(_NEEDS, preps), channels))
