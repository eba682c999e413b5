"""A desk's snapshot: its state as JSON-ready data, and the desk rebuilt from it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cs8._enums import Channel
from cs8._models import Customer, Ticket
from cs8.exceptions import Cs8Error, SerializationError
from cs8.routing import AgentPool, Router, RoutingState
from cs8.serialization import from_data, parse_datetime, to_data
from cs8.sla import SlaPolicy

if TYPE_CHECKING:
    from cs8.desk._desk import Desk

__all__ = ["SNAPSHOT_VERSION", "restore_desk", "snapshot_data"]

SNAPSHOT_VERSION = 1
"""The format version written in a snapshot's ``"version"`` key."""


def snapshot_data(desk: Desk) -> dict[str, Any]:
    """The snapshot of ``desk`` (the caller holds its lock)."""
    queued = sorted((key, tid) for q in desk._queue.values() for key, tid in q)
    return {
        "version": SNAPSHOT_VERSION,
        "now": desk._now.isoformat(),
        "tickets": [to_data(desk._tickets[t]) for t in sorted(desk._tickets)],
        "customers": [to_data(desk._customers[c]) for c in sorted(desk._customers)],
        "pool": to_data(desk._pool),
        "routing_state": to_data(desk._state),
        "reservations": {t: [a, c.value] for t, (a, c) in sorted(desk._held.items())},
        "kept": dict(sorted(desk._kept.items())),
        "offers": {t: [a, at.isoformat()] for t, (a, at) in sorted(desk._offers.items())},
        "declined": {t: sorted(a) for t, a in sorted(desk._declined.items()) if a},
        "waiting": [
            [tid, desk._queued[tid][0].value, [k[0], None if k[1] == float("inf") else k[1], k[2]]]
            for k, tid in queued
        ],
        "event_ids": {t: sorted(ids) for t, ids in sorted(desk._seen.items()) if ids},
        "alarms_returned": [
            [tid, metric, started.isoformat(), warnings, breached, escalation]
            for (tid, metric, started), (warnings, breached, escalation) in sorted(
                desk._emitted.items()
            )
        ],
    }


def restore_desk(
    cls: type[Desk],
    snapshot: Mapping[str, Any],
    *,
    policy: SlaPolicy,
    router: Router,
    max_skew: timedelta,
    offer_timeout: timedelta | None,
) -> Desk:
    """Rebuild a desk from :func:`snapshot_data`'s data."""
    try:
        return _restore(cls, snapshot, policy, router, max_skew, offer_timeout)
    except SerializationError:
        raise
    except (Cs8Error, KeyError, TypeError, ValueError, IndexError) as exc:
        raise SerializationError(f"cannot restore a Desk: {exc!r}") from exc


def _restore(
    cls: type[Desk],
    data: Mapping[str, Any],
    policy: SlaPolicy,
    router: Router,
    max_skew: timedelta,
    offer_timeout: timedelta | None,
) -> Desk:
    if not isinstance(data, Mapping) or data.get("version") != SNAPSHOT_VERSION:
        raise SerializationError(
            f"a Desk snapshot must be an object with version {SNAPSHOT_VERSION}, got "
            f"{data.get('version') if isinstance(data, Mapping) else data!r}"
        )
    now = parse_datetime(data["now"], "Desk snapshot now")
    desk = cls(
        policy=policy, router=router, now=now, max_skew=max_skew, offer_timeout=offer_timeout
    )
    desk._pool = from_data(data["pool"], AgentPool)
    desk._state = from_data(data["routing_state"], RoutingState)
    for item in data["customers"]:
        customer = from_data(item, Customer)
        desk._customers[customer.id] = customer
    for item in data["tickets"]:
        ticket = from_data(item, Ticket)
        desk._tickets[ticket.id] = ticket
    for tid, (agent, channel) in data["reservations"].items():
        desk._ticket(tid)
        desk._held[tid] = (agent, Channel(channel))
    for tid, (agent, at) in data.get("offers", {}).items():
        desk._ticket(tid)
        desk._offers[tid] = (str(agent), parse_datetime(at, "Desk snapshot offers"))
    for tid, agents in data.get("declined", {}).items():
        desk._declined[tid] = {str(a) for a in agents}
    for tid, agent in data["kept"].items():
        desk._ticket(tid)
        desk._kept[tid] = str(agent)
    for tid, channel, (rank, due, created) in data["waiting"]:
        desk._ticket(tid)
        key = (int(rank), float("inf") if due is None else float(due), float(created), tid)
        desk._queue.setdefault(Channel(channel), []).append((key, tid))
        desk._queued[tid] = (Channel(channel), key)
    for queue in desk._queue.values():
        queue.sort()
    desk._seen = {tid: set(ids) for tid, ids in data["event_ids"].items()}
    for tid, metric, started, warnings, breached, escalation in data["alarms_returned"]:
        started_at = parse_datetime(started, "alarms_returned started")
        desk._emitted[(tid, metric, started_at)] = (int(warnings), bool(breached), escalation)
    for ticket in desk._tickets.values():
        desk._sla.update(ticket, desk._customers.get(ticket.customer_id), now)
    desk._sla.recheck_all()  # the next alarms() call checks every clock once
    return desk
