"""The live desk: SLA clocks and routing kept in a running service, safely.

:class:`Desk` is the stateful kernel a helpdesk service embeds: it owns the open tickets, the
agent pool (per-channel capacity, blocking channels), the routing state and an incremental SLA
index, takes events as webhooks deliver them (late, twice, from hosts whose clocks differ a
little), and answers "what breaches in the next hour" without re-evaluating the backlog. Every
method is atomic under threads. The guide "Running cs8 in a service" (``docs/service.md``) shows
a complete FastAPI + SQLite service.

Snapshot format (``Desk.snapshot()``, version 1), every value JSON:

- ``"now"``: the desk's clock (ISO 8601); ``"tickets"`` and ``"customers"``: the models as
  :mod:`cs8.serialization` writes them, sorted by id; ``"pool"``: the agent pool (agents with their
  loads, channel weights, pieces of work per channel); ``"routing_state"``: round-robin rotations
  and plugin states;
- ``"reservations"``: ticket id to ``[agent id, channel]`` of the capacity it holds; ``"kept"``:
  ticket id to the agent it was assigned to outside the desk without room (no reservation);
  ``"waiting"``: ``[ticket id, channel, queue key]`` in queue order;
- ``"offers"``: ticket id to ``[agent id, lapses at]`` (offers mode); ``"declined"``: ticket id
  to the agents who rejected it or let an offer lapse;
- ``"event_ids"``: ticket id to the event ids recorded (for de-duplication);
  ``"alarms_returned"``: what :meth:`Desk.alarms` has returned, so no alarm comes twice.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Agent, Ticket
    >>> from cs8.routing import Router
    >>> from cs8.sla import SlaPolicy, SlaTarget
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> policy = SlaPolicy(name="std", targets=[SlaTarget(metric="first_reply",
    ...     within=timedelta(hours=1), business_hours=False)])
    >>> router = Router()
    >>> desk = Desk(policy=policy, router=router, now=t0, agents=[Agent(id="a1")])
    >>> desk.open(Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)).agent_id
    'a1'
    >>> again = Desk.restore(desk.snapshot(), policy=policy, router=router)
    >>> again.snapshot() == desk.snapshot()
    True
"""

from cs8.desk._desk import Desk
from cs8.desk._sla_index import AlarmKind, DeskAlarm

__all__ = ["AlarmKind", "Desk", "DeskAlarm"]
