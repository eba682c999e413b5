"""Replay contacts through a router and a pool of agents: a discrete-event simulation harness.

The harness answers "what would this routing and this team have given on that traffic?" with the
same definitions as the KPIs: it replays each contact of a log (or of a generated day) as a ticket
routed by a :class:`~cs8.routing.Router` over an :class:`~cs8.routing.AgentPool`, and reports
ASA, abandonment and service level through :mod:`cs8.kpi` on the replayed contacts, per interval
too, next to the Erlang C and Erlang A predictions for the same traffic and agents.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Agent, Interaction
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> calls = [Interaction(id=f"c{i}", customer_id="C", channel="phone",
    ...                      started_at=t0 + timedelta(seconds=30 * i),
    ...                      answered_at=t0 + timedelta(seconds=30 * i),
    ...                      talk_time=timedelta(seconds=70)) for i in range(4)]
    >>> result = simulate(calls, router=Router(), agents=[Agent(id="a", channels={"phone"}),
    ...                   Agent(id="b", channels={"phone"})])
    >>> [c.agent_id for c in result.interactions]
    ['a', 'b', 'a', 'b']
    >>> [int((c.answered_at - c.started_at).total_seconds()) for c in result.interactions]
    [0, 0, 10, 10]
    >>> result.service_level.value  # answered within 20 s, over all calls
    1.0
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from itertools import count
from typing import ClassVar

import attrs

from cs8._display import DictsReprMixin, record_fields
from cs8._enums import Channel
from cs8._models import Agent, Interaction
from cs8._ticket import Ticket
from cs8.exceptions import InvalidValueError
from cs8.kpi import (
    DurationStats,
    Rate,
    abandonment_rate,
    average_speed_of_answer,
    erlang_a,
    erlang_c,
    service_level,
)
from cs8.routing._pool import AgentPool
from cs8.routing._router import Router
from cs8.routing._strategies import RoutingState

__all__ = ["SimulatedInterval", "SimulationResult", "simulate"]

# Events at one instant are handled in this order: a caller who hangs up at the instant an agent
# frees is gone (their logged wait was all they would give), then agents free up, then calls arrive.
_ABANDON, _FINISH, _ARRIVE = 0, 1, 2


@attrs.frozen(kw_only=True)
class SimulatedInterval:
    """One interval of a simulation, with the Erlang predictions for its traffic.

    Args:
        start: The interval's first instant (local clock of the contacts).
        offered: Contacts that arrived in it.
        answered: Of them, how many were answered (whenever).
        abandoned: Of them, how many hung up before an answer.
        service_level: Answered within the threshold over all that arrived (``None`` if none).
        asa: Mean wait of the answered ones (``None`` if none).
        occupancy: Busy agent time in the interval over the agents' time in it.
        agents: Agents of the pool able to take the channel.
        erlang_c_service_level: Erlang C's service level for the interval's calls, mean handle
            time and ``agents`` (``None`` when the traffic is not below the agents: no steady
            state).
        erlang_a_service_level: Erlang A's, with the patience estimated from the whole log.

    Example:
        >>> from datetime import datetime, timezone
        >>> SimulatedInterval(start=datetime(2026, 1, 1, tzinfo=timezone.utc), offered=0,
        ...                   answered=0, abandoned=0, service_level=None, asa=None,
        ...                   occupancy=0.0, agents=1).offered
        0
    """

    start: datetime
    offered: int
    answered: int
    abandoned: int
    service_level: float | None
    asa: timedelta | None
    occupancy: float
    agents: int
    erlang_c_service_level: float | None = None
    erlang_a_service_level: float | None = None


@attrs.frozen(kw_only=True, repr=False)
class SimulationResult(DictsReprMixin):
    """What a simulation gave.

    Args:
        interactions: One replayed contact per input, same id and order, with ``answered_at``,
            ``ended_at`` and ``agent_id`` as simulated.
        asa: The waits of answered contacts (:func:`cs8.kpi.average_speed_of_answer`).
        abandonment_rate: Abandoned over all contacts (:func:`cs8.kpi.abandonment_rate`).
        service_level: Answered within ``threshold`` over all contacts
            (:func:`cs8.kpi.service_level` with ``abandon_policy="negative"``).
        intervals: Per interval, the same measures and the Erlang predictions.
        patience: The mean patience estimated from the log (abandons over total waiting time,
            the maximum-likelihood estimate for exponential patience with censored waits), used
            for Erlang A; ``None`` when nobody abandoned.
        threshold: The service-level threshold.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Agent, Interaction
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> gone = Interaction(id="c1", customer_id="C", channel="phone", started_at=t0,
        ...                    ended_at=t0 + timedelta(seconds=5))
        >>> simulate([gone], router=Router(), agents=[]).abandonment_rate.value
        1.0
    """

    __repr__ = DictsReprMixin._short_repr

    interactions: tuple[Interaction, ...]
    asa: DurationStats
    abandonment_rate: Rate
    service_level: Rate
    intervals: tuple[SimulatedInterval, ...]
    patience: timedelta | None
    threshold: timedelta

    _percent: ClassVar[frozenset[str]] = frozenset(
        {"service_level", "abandonment_rate", "occupancy", "erlang_c_service_level"}
        | {"erlang_a_service_level"}
    )

    def to_dict(self) -> dict[str, object]:
        """Return the summary: contacts, ASA, abandonment, service level, patience and threshold.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> from cs8 import Interaction
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> gone = Interaction(id="c1", customer_id="C", channel="phone", started_at=t0,
            ...                    ended_at=t0 + timedelta(seconds=5))
            >>> simulate([gone], router=Router(), agents=[]).to_dict()["abandonment_rate"]
            1.0
        """
        return {
            "contacts": len(self.interactions),
            "asa": self.asa.mean,
            "abandonment_rate": self.abandonment_rate.value,
            "service_level": self.service_level.value,
            "patience": self.patience,
            "threshold": self.threshold,
        }

    def to_dicts(self) -> list[dict[str, object]]:
        """Return one row per interval (the replayed contacts are in ``interactions``).

        Example:
            >>> simulate([], router=Router(), agents=[]).to_dicts()
            []
        """
        return [attrs.asdict(row, recurse=False) for row in self.intervals]

    _durations: ClassVar[frozenset[str]] = frozenset({"asa"})

    def _title(self) -> str:
        return f"Simulation ({len(self.interactions):,} contacts)"

    def _summary(self) -> list[tuple[str, str]]:
        return record_fields(self.to_dict(), self._percent)


@attrs.define
class _Call:
    """A contact being replayed (internal, mutable: owned by one call of :func:`simulate`)."""

    index: int
    source: Interaction
    ticket: Ticket
    handle: timedelta
    patience: timedelta | None  # None: waits as long as needed
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    agent_id: str | None = None
    rank: int = 0  # queue order: higher priority first (set by the router's decision)


def _handle_time(call: Interaction) -> timedelta:
    return call.talk_time + call.hold_time + call.wrap_time


def _patience(call: Interaction) -> timedelta | None:
    """The logged wait of a contact that hung up; ``None`` for one answered or still waiting."""
    if call.answered_at is None and call.ended_at is not None:
        return call.ended_at - call.started_at
    return None


def _bucket(at: datetime, interval: timedelta) -> datetime:
    midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + ((at - midnight) // interval) * interval


def simulate(
    interactions: Iterable[Interaction],
    *,
    router: Router,
    agents: AgentPool | Iterable[Agent],
    threshold: timedelta = timedelta(seconds=20),
    interval: timedelta = timedelta(minutes=30),
    state: RoutingState | None = None,
) -> SimulationResult:
    """Replay contacts through ``router`` and a pool of ``agents``, one decision per event.

    A contact arrives at its ``started_at`` and needs one agent for its ``talk_time + hold_time +
    wrap_time`` (``ended_at`` is set after talk and hold; wrap-up keeps the agent busy after it). A
    contact that hung up in the log (no ``answered_at`` but an ``ended_at``) hangs up once it has
    waited its logged wait; one answered in the log waits as long as needed. Waiting contacts are
    offered agents in queue order (the router's priority, then arrival, then id) whenever an agent
    frees up or a contact arrives; each offer is a :meth:`Router.route` on the pool as it is then, so
    rules, escalation steps (by time waited) and strategies act as they would live.

    Work per event is one decision per waiting contact of the channel that has a free agent, so a
    day of a few thousand calls replays in well under a second.

    Args:
        interactions: The contacts, any order; ids must be unique.
        router: Routes each contact (as a ticket on the contact's channel, created at
            ``started_at``).
        agents: The team (an :class:`AgentPool` is copied, not changed). Agents need the
            contacts' channel among their ``channels``.
        threshold: The service-level threshold.
        interval: The length of the reporting intervals (aligned to local midnight of each
            contact's own clock).
        state: The strategies' memory to start from.

    Returns:
        A :class:`SimulationResult`.

    Raises:
        InvalidValueError: If two contacts share an id, or ``interval`` is not positive.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Agent, Interaction
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> calls = [Interaction(id="c1", customer_id="C", channel="phone", started_at=t0,
        ...                      answered_at=t0, talk_time=timedelta(minutes=5)),
        ...          Interaction(id="c2", customer_id="D", channel="phone",
        ...                      started_at=t0 + timedelta(minutes=1),
        ...                      ended_at=t0 + timedelta(minutes=2))]  # hung up after 60 s
        >>> r = simulate(calls, router=Router(), agents=[Agent(id="a", channels={"phone"})])
        >>> [(c.id, c.agent_id, c.answered_at is not None) for c in r.interactions]
        [('c1', 'a', True), ('c2', None, False)]
    """
    for name, value in (("threshold", threshold), ("interval", interval)):
        if (
            not isinstance(value, timedelta)
            or value < timedelta(0)
            or (name == "interval" and not value)
        ):
            raise InvalidValueError(
                f"simulate({name}) must be a {'positive' if name == 'interval' else 'non-negative'}"
                f" timedelta, got {value!r}"
            )
    pool = agents.copy() if isinstance(agents, AgentPool) else AgentPool(agents)
    sources = list(interactions)
    calls = _calls(sources)
    memory = state or RoutingState()
    events: list[tuple[datetime, int, int, int]] = []  # (at, kind, sequence, call index)
    order = count()
    for call in calls:
        heapq.heappush(events, (call.source.started_at, _ARRIVE, next(order), call.index))
    waiting: dict[Channel, list[_Call]] = {}
    busy: list[tuple[datetime, datetime, str]] = []  # (from, to, agent) for occupancy

    while events:
        now = events[0][0]
        changed: set[Channel] = set()
        while events and events[0][0] == now:
            _, kind, _, index = heapq.heappop(events)
            call = calls[index]
            channel = call.source.channel
            if kind == _ARRIVE:
                waiting.setdefault(channel, []).append(call)
                if call.patience is not None:
                    heapq.heappush(events, (now + call.patience, _ABANDON, next(order), index))
                changed.add(channel)
            elif kind == _FINISH:
                assert call.agent_id is not None
                pool.release(call.agent_id, channel)
                changed.update(waiting)
            elif call.answered_at is None and call.ended_at is None:  # hangs up while waiting
                call.ended_at = now
                waiting[channel].remove(call)
        for channel in changed:
            queue = waiting.get(channel)
            if queue:
                memory = _offer(queue, router, pool, now, memory, events, order, busy)

    replayed = tuple(_replayed(call) for call in calls)
    patience = _estimated_patience(sources)
    return SimulationResult(
        interactions=replayed,
        asa=average_speed_of_answer(replayed),
        abandonment_rate=abandonment_rate(replayed),
        service_level=service_level(replayed, threshold=threshold, abandon_policy="negative"),
        intervals=_intervals(replayed, pool, busy, threshold, interval, patience),
        patience=patience,
        threshold=threshold,
    )


def _calls(sources: Sequence[Interaction]) -> list[_Call]:
    seen: set[str] = set()
    calls: list[_Call] = []
    for index, source in enumerate(sources):
        if not isinstance(source, Interaction):
            raise InvalidValueError(
                f"simulate(interactions)[{index}] must be an Interaction, got {source!r}"
            )
        if source.id in seen:
            raise InvalidValueError(f"simulate: two interactions have id {source.id!r}")
        seen.add(source.id)
        ticket = Ticket(
            id=source.id,
            customer_id=source.customer_id,
            channel=source.channel,
            created_at=source.started_at,
        )
        calls.append(_Call(index, source, ticket, _handle_time(source), _patience(source)))
    return calls


def _offer(
    queue: list[_Call],
    router: Router,
    pool: AgentPool,
    now: datetime,
    memory: RoutingState,
    events: list[tuple[datetime, int, int, int]],
    order: count[int],
    busy: list[tuple[datetime, datetime, str]],
) -> RoutingState:
    """Offer the waiting contacts of one channel, in queue order, the agents free at ``now``."""
    queue.sort(key=lambda c: (-c.rank, c.source.started_at, c.source.id))
    kept: list[_Call] = []
    for position, call in enumerate(queue):
        decision = router.route(call.ticket, pool, now=now, state=memory)
        memory = decision.state
        call.rank = decision.priority.rank
        if decision.agent_id is None:
            kept.append(call)
            if not _room_left(pool, call.source.channel):
                kept.extend(queue[position + 1 :])
                break
            continue
        pool.assign(decision.agent_id, call.source.channel, at=now)
        call.agent_id = decision.agent_id
        call.answered_at = now
        call.ended_at = now + call.source.talk_time + call.source.hold_time
        free_at = now + call.handle
        busy.append((now, free_at, decision.agent_id))
        heapq.heappush(events, (free_at, _FINISH, next(order), call.index))
    queue[:] = kept
    return memory


def _room_left(pool: AgentPool, channel: Channel) -> bool:
    """Whether any agent could still take work on ``channel`` (else the rest need not be tried)."""
    return any(pool.can_take(agent.id, channel) for agent in pool.agents)


def _replayed(call: _Call) -> Interaction:
    return attrs.evolve(
        call.source,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        agent_id=call.agent_id,
    )


def _estimated_patience(sources: Sequence[Interaction]) -> timedelta | None:
    """Mean patience: total waiting time over abandons (exponential patience, censored waits).

    Waits are those of the log (``sources``): they are what the callers showed."""
    abandons = sum(1 for c in sources if c.answered_at is None and c.ended_at is not None)
    if not abandons:
        return None
    waited = sum(
        ((c.wait_time or timedelta(0)) for c in sources if c.wait_time is not None),
        timedelta(0),
    )
    return waited / abandons


def _intervals(
    replayed: Sequence[Interaction],
    pool: AgentPool,
    busy: Sequence[tuple[datetime, datetime, str]],
    threshold: timedelta,
    interval: timedelta,
    patience: timedelta | None,
) -> tuple[SimulatedInterval, ...]:
    by_start: dict[datetime, list[Interaction]] = {}
    for call in replayed:
        by_start.setdefault(_bucket(call.started_at, interval), []).append(call)
    out = []
    for start in sorted(by_start):
        group = by_start[start]
        channels = {c.channel for c in group}
        team = [a for a in pool.agents if a.channels & channels]
        answered = [c for c in group if c.answered_at is not None]
        abandoned = sum(1 for c in group if c.answered_at is None and c.ended_at is not None)
        waits = [c.answered_at - c.started_at for c in group if c.answered_at is not None]
        within = sum(1 for wait in waits if wait <= threshold)
        end = start + interval
        members = {a.id for a in team}
        worked = sum(
            (
                min(b, end) - max(a, start)
                for a, b, who in busy
                if who in members and a < end and b > start
            ),
            timedelta(0),
        )
        handled = [_handle_time(c) for c in answered]
        erlang_c_sl, erlang_a_sl = _predictions(
            len(group), handled, len(team), interval, threshold, patience
        )
        out.append(
            SimulatedInterval(
                start=start,
                offered=len(group),
                answered=len(answered),
                abandoned=abandoned,
                service_level=within / len(group),
                asa=sum(waits, timedelta(0)) / len(waits) if waits else None,
                occupancy=(worked / (interval * len(team))) if team else 0.0,
                agents=len(team),
                erlang_c_service_level=erlang_c_sl,
                erlang_a_service_level=erlang_a_sl,
            )
        )
    return tuple(out)


def _predictions(
    offered: int,
    handled: Sequence[timedelta],
    agents: int,
    interval: timedelta,
    threshold: timedelta,
    patience: timedelta | None,
) -> tuple[float | None, float | None]:
    """Erlang C and Erlang A service levels for an interval's traffic (``None`` where undefined)."""
    if not agents or not handled or not offered:
        return None, None
    aht = sum(handled, timedelta(0)) / len(handled)
    if aht <= timedelta(0):
        return None, None
    traffic = offered * (aht / interval)
    c_sl = None
    if traffic < agents:
        c_sl = erlang_c(
            calls=offered, period=interval, aht=aht, agents=agents, target_answer_time=threshold
        ).service_level
    a_sl = None
    if patience is not None and patience > timedelta(0) and math.isfinite(traffic):
        a_sl = erlang_a(
            calls=offered,
            period=interval,
            aht=aht,
            agents=agents,
            patience=patience,
            target_answer_time=threshold,
        ).service_level
    return c_sl, a_sl
