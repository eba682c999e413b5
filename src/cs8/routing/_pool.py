"""The agent pool: agents indexed by channel, status and skill, updated as their loads change.

An :class:`AgentPool` is a *working object that the caller owns*: it is mutable, and only its own
methods (:meth:`AgentPool.assign`, :meth:`AgentPool.release`, :meth:`AgentPool.set_status`) change
it. :meth:`cs8.routing.Router.route` reads a pool and never changes it;
:meth:`cs8.routing.Router.assign` works on a copy and returns the new loads. Nothing is global:
two pools never share state, and :meth:`AgentPool.copy` gives an independent one. Each method
holds the pool's lock (:attr:`AgentPool.lock`); hold it yourself to make several calls one step.
A decision looks at the top of one heap per kind of work, not at every agent (see ``_pool_index``).

Capacity is counted in thousandths of a unit, so channel weights such as 0.5 or 1/3 add up
exactly (1/3 counts as 0.333).

Example:
    >>> from cs8 import Agent, Channel
    >>> pool = AgentPool([Agent(id="a1", channels={"chat"}, capacity=2),
    ...                   Agent(id="a2", channels={"chat", "email"}, capacity=2)],
    ...                  weights=ChannelWeights(weights={"chat": 0.5}))
    >>> pool.assign("a1", Channel.CHAT)
    >>> pool.load("a1"), pool.spare("a1", Channel.CHAT), len(pool)
    (0.5, 1.5, 2)
"""

from __future__ import annotations

import heapq
import threading
from bisect import insort
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any, TypeAlias

import attrs

from cs8._enums import AgentStatus, Channel
from cs8._frozen import FrozenDict
from cs8._models import Agent
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError, UnknownFieldError
from cs8.routing._capacity import _UNIT, ChannelWeights, Need, _ordinal
from cs8.routing._pool_index import (
    _build_kind,
    _fits,
    _Kind,
    _linear,
    _members,
    _qualifies,
    _rebuild,
    _retally,
    _room,
    _round_robin,
    _Slot,
    _tallied,
    _Tally,
    _TallyKey,
    _untally,
    count_filters,
    filter_labels,
    serve_heap,
    serve_keyed,
)
from cs8.routing._strategies import BuiltinStrategy, KeyStrategy, RoundRobin

__all__ = ["AgentPool", "ChannelWeights", "Need"]


_Instant: TypeAlias = tuple["datetime | None", float, int]
"""An assignment instant, its epoch seconds and its longest-idle key (see AgentPool._instant)."""

_HeapKey: TypeAlias = tuple[
    Any, Channel, AgentStatus, "tuple[tuple[str, int], ...]", frozenset[str]
]
"""(strategy, channel, status, required skills with minimum levels, accepted languages)."""

_Picks: TypeAlias = list[str | None]
"""Per need served by ``AgentPool.taker``'s function, the agent chosen (or None)."""
_Looked: TypeAlias = list[int]
"""Per need served by ``AgentPool.taker``'s function, how many agents were looked at."""


class AgentPool:
    """Agents indexed by channel, status and skill; a mutable working object the caller owns.

    Thread-safety: every public method holds the pool's lock (a re-entrant lock) while it reads or
    changes the pool, so threads may share one pool: each call is atomic, loads are never lost and
    no agent is ever given more than its capacity. A sequence of calls (check, then assign) is not
    atomic: hold :attr:`lock` around it, or use :class:`cs8.desk.Desk`, which does.
    :meth:`cs8.routing.Router.route` changes nothing a caller can observe (loads, statuses, the
    agents' order); it may tidy the pool's internal index, under the lock.

    Args:
        agents: The agents (ids must be unique). Their ``active_tickets`` are the starting loads.
        weights: How much capacity a piece of work takes on each channel, and which channels
            fill or block an agent.
        channel_loads: Pieces of work each agent holds per channel at the start (for agents with
            ``capacity_by_channel`` and for blocking channels; :attr:`channel_loads` gives them).

    Raises:
        InvalidValueError: If two agents share an id.

    Example:
        >>> from cs8 import Agent
        >>> pool = AgentPool([Agent(id="a1", capacity=1)])
        >>> pool.can_take("a1", Channel.EMAIL)
        True
        >>> pool.assign("a1", Channel.EMAIL)
        >>> pool.can_take("a1", Channel.EMAIL)
        False

        Per-channel capacity (Zendesk's capacity rules) with a blocking phone channel:

        >>> pool = AgentPool(
        ...     [Agent(id="a1", channels={"phone", "chat", "email"},
        ...            capacity_by_channel={"phone": 1, "chat": 3, "email": 10})],
        ...     weights=ChannelWeights(fills=(), blocking={"phone"}))
        >>> pool.assign("a1", "email"); pool.can_take("a1", "phone")
        True
        >>> pool.assign("a1", "phone"); pool.can_take("a1", "email"), pool.can_take("a1", "phone")
        (False, False)
        >>> pool.release("a1", "phone"); pool.can_take("a1", "chat")
        True
    """

    __slots__ = (
        "_at",
        "_bits",
        "_by_rank",
        "_by_status",
        "_fast",
        "_heaps",
        "_ids",
        "_limit",
        "_lock",
        "_pieces",
        "_slots",
        "_static",
        "_tallies",
        "_units",
        "weights",
    )

    def __init__(
        self,
        agents: Iterable[Agent] = (),
        *,
        weights: ChannelWeights | None = None,
        channel_loads: Mapping[str, Mapping[Channel | str, int]] | None = None,
    ) -> None:
        self.weights = ChannelWeights() if weights is None else weights
        self._lock = threading.RLock()
        self._units: dict[Channel, int] = {c: self.weights._milli(c) for c in Channel}
        self._pieces: dict[Channel, int] = {c: self.weights._piece(c) for c in Channel}
        self._slots: dict[str, _Slot] = {}
        for agent in agents:
            if not isinstance(agent, Agent):
                raise InvalidValueError(f"AgentPool agents must be Agent values, got {agent!r}")
            if agent.id in self._slots:
                raise InvalidValueError(f"AgentPool has two agents with id {agent.id!r}")
            self._slots[agent.id] = _Slot(agent, 0, self.weights)
        for agent_id, counts in (channel_loads or {}).items():
            slot = self._slot(agent_id)
            for channel, count in counts.items():
                if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                    raise InvalidValueError(
                        f"AgentPool.channel_loads[{agent_id!r}][{channel!r}] must be a "
                        f"non-negative integer, got {count!r}"
                    )
                slot.held(Channel(channel), count)
        self._index()

    def _index(self) -> None:
        """(Re)build every index from the slots (their loads, counts and statuses are kept)."""
        # Ranks in id order: a heap entry ends with the agent's rank, in this many bits.
        self._by_rank: list[_Slot] = sorted(self._slots.values(), key=lambda s: s.id)
        for rank, slot in enumerate(self._by_rank):
            slot.rank = rank
            slot.heaps = []
            slot.tallies = []
        self._bits = max(1, len(self._by_rank).bit_length())
        # (channel, status) -> sorted agent ids (round robin, counts)
        self._ids: dict[tuple[Channel, AgentStatus], list[str]] = {}
        self._by_status: dict[AgentStatus, set[str]] = {}
        for slot in self._slots.values():
            self._by_status.setdefault(slot.status, set()).add(slot.id)
        # Static sets of agent ids by channel, skill level and language (built on first use).
        self._static: dict[tuple[str, object, int], frozenset[str]] = {}
        # The last assignment instant, its epoch seconds and their longest-idle key.
        self._at: _Instant = (None, 0.0, 0)
        for slot in self._by_rank:
            for channel in slot.channels:
                self._ids.setdefault((channel, slot.status), []).append(slot.id)
        # (strategy, channel, status, skills, languages) -> its kind and heap, built on first use
        self._heaps: dict[_HeapKey, _Kind] = {}
        # (channel, status, skills, languages) -> its filter counts (the trace's), on first use
        self._tallies: dict[_TallyKey, _Tally] = {}
        # Need -> the kind last used for it (a need almost always goes with one strategy and
        # status: the router keeps one Need per kind of work).
        self._fast: dict[Need, _Kind] = {}
        # A heap longer than this is rebuilt (out-of-date entries dropped) before use.
        self._limit = 4 * len(self._slots) + 64

    # ------------------------------------------------------------------ reading

    @property
    def lock(self) -> threading.RLock:
        """The pool's re-entrant lock: hold it to make several calls one atomic step.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", capacity=1)])
            >>> with pool.lock:
            ...     if pool.can_take("a1", "email"):
            ...         pool.assign("a1", "email")
            >>> pool.load("a1")
            1.0
        """
        return self._lock

    def __len__(self) -> int:
        return len(self._slots)

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(sorted(self._slots))

    def __contains__(self, agent_id: object) -> bool:
        return agent_id in self._slots

    def __repr__(self) -> str:
        return f"AgentPool({len(self._slots)} agents)"

    def _slot(self, agent_id: str) -> _Slot:
        try:
            return self._slots[agent_id]
        except KeyError:
            raise UnknownFieldError(f"AgentPool has no agent {agent_id!r}") from None

    def agent(self, agent_id: str) -> Agent:
        """Return the agent with its current load, status and last assignment.

        Raises:
            UnknownFieldError: If there is no such agent.

        Example:
            >>> from cs8 import Agent
            >>> AgentPool([Agent(id="a1", active_tickets=2)]).agent("a1").active_tickets
            2.0
        """
        with self._lock:
            slot = self._slot(agent_id)
            return attrs.evolve(
                slot.agent,
                active_tickets=slot.load / _UNIT,
                status=slot.status,
                last_assigned_at=slot.last_at,
            )

    @property
    def agents(self) -> tuple[Agent, ...]:
        """Every agent with its current state, by id."""
        with self._lock:
            return tuple(self.agent(agent_id) for agent_id in sorted(self._slots))

    def load(self, agent_id: str) -> float:
        """Return the units of work ``agent_id`` holds.

        Example:
            >>> from cs8 import Agent
            >>> AgentPool([Agent(id="a1", active_tickets=1.5)]).load("a1")
            1.5
        """
        return self._slot(agent_id).load / _UNIT

    @property
    def loads(self) -> FrozenDict[str, float]:
        """Every agent's load in units of work, by id."""
        with self._lock:
            return FrozenDict({i: self._slots[i].load / _UNIT for i in sorted(self._slots)})

    @property
    def channel_loads(self) -> FrozenDict[str, FrozenDict[Channel, int]]:
        """Pieces of work each agent holds per channel (channels holding none left out), by id.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", channels={"chat"})])
            >>> pool.assign("a1", "chat"); pool.assign("a1", "chat")
            >>> dict(pool.channel_loads["a1"])
            {Channel.CHAT: 2}
        """
        with self._lock:
            return FrozenDict({i: FrozenDict(self._slots[i].counts) for i in sorted(self._slots)})

    def status(self, agent_id: str) -> AgentStatus:
        """Return the presence of ``agent_id``.

        Example:
            >>> from cs8 import Agent
            >>> AgentPool([Agent(id="a1", status="busy")]).status("a1")
            AgentStatus.BUSY
        """
        return self._slot(agent_id).status

    def spare(self, agent_id: str, channel: Channel | str) -> float:
        """Return the capacity left on ``agent_id`` for ``channel`` in units (0 when full or
        blocked); for an agent with per-channel limits, the pieces left on the channel times
        the channel's weight.

        Example:
            >>> from cs8 import Agent
            >>> AgentPool([Agent(id="a1", capacity=3, active_tickets=1)]).spare("a1", "email")
            2.0
        """
        channel = Channel(channel)
        with self._lock:
            slot = self._slot(agent_id)
            if not _room(slot, 0, channel):
                return 0.0
            if slot.limits is not None:
                left = slot.limits.get(channel, 0) - slot.counts.get(channel, 0)
                return max(0, left) * self._pieces[channel] / _UNIT
            return max(0, slot.cap - slot.load) / _UNIT

    def can_take(self, agent_id: str, channel: Channel | str) -> bool:
        """Whether ``agent_id`` works ``channel`` and has room for one more piece of work on it.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", channels={"email", "phone"}, active_tickets=1)])
            >>> pool.can_take("a1", "email"), pool.can_take("a1", "phone"), pool.can_take("a1", "chat")
            (True, False, False)
        """
        channel = Channel(channel)
        with self._lock:
            slot = self._slot(agent_id)
            return channel in slot.channels and _room(slot, self._units[channel], channel)

    def copy(self) -> AgentPool:
        """Return an independent pool with the same agents, loads and indexes (and its own lock).

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1")])
            >>> other = pool.copy()
            >>> other.assign("a1", "email")
            >>> pool.load("a1"), other.load("a1")
            (0.0, 1.0)
        """
        with self._lock:
            new = AgentPool.__new__(AgentPool)
            new.weights = self.weights
            new._lock = threading.RLock()
            new._units = self._units
            new._pieces = self._pieces
            new._slots = {k: s.copy() for k, s in self._slots.items()}
            new._by_rank = [new._slots[s.id] for s in self._by_rank]
            new._bits = self._bits
            new._ids = {k: list(v) for k, v in self._ids.items()}
            new._by_status = {k: set(v) for k, v in self._by_status.items()}
            new._static = self._static  # replaced, never changed, when the roster changes
            new._at = (None, 0.0, 0)
            kinds = {id(kind): kind.copy() for kind in self._heaps.values()}
            new._heaps = {key: kinds[id(kind)] for key, kind in self._heaps.items()}
            new._fast = {}
            new._tallies = {}  # built again on first use (a backlog's copy rarely counts)
            new._limit = self._limit
            slots = new._slots
            for old in self._slots.values():
                slots[old.id].heaps = [kinds[id(kind)] for kind in old.heaps]
            return new

    # ------------------------------------------------------------------ changing

    def _touched(self, slot: _Slot) -> None:
        """Re-rank ``slot`` in every heap it belongs to (its key may have dropped).

        A heap no choice reads any more (a strategy or a need not used since) is rebuilt here when
        it grows past the limit, so releases cannot grow it without bound."""
        if slot.tallies:
            _retally(slot)
        push = heapq.heappush
        limit = self._limit
        for kind in slot.heaps:
            try:
                entry = kind.entry(slot)
            except Exception:  # a plugin's key: it raises again (and is reported) when chosen
                continue
            if entry is not None:
                push(kind.heap, entry)
                if len(kind.heap) > limit:
                    _rebuild(kind, self._by_rank, self._bits)

    def assign(self, agent_id: str, channel: Channel | str, at: datetime | None = None) -> None:
        """Give ``agent_id`` one piece of work on ``channel`` (at ``at``, for longest-idle).

        Raises:
            InvalidValueError: If the agent does not work the channel or has no room for it; a
                pool never overfills an agent.
            UnknownFieldError: If there is no such agent.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", capacity=1)])
            >>> pool.assign("a1", "email"); pool.assign("a1", "email")
            Traceback (most recent call last):
            ...
            cs8.exceptions.InvalidValueError: agent 'a1' has no room for email work (load 1.0 of capacity 1)
        """
        if type(channel) is not Channel:
            channel = Channel(channel)
        with self._lock:
            slot = self._slot(agent_id)
            if channel not in slot.channels:
                raise InvalidValueError(
                    f"agent {agent_id!r} does not work the {channel.value} channel"
                )
            need = self._units[channel]
            if not _room(slot, need, channel):
                if slot.limits is not None:
                    held = f"holds {slot.counts.get(channel, 0)} of {slot.limits.get(channel, 0)}"
                else:
                    held = f"load {slot.load / _UNIT} of capacity {slot.cap // _UNIT}"
                blocked = " or is blocked by work on a blocking channel" if slot.blocks else ""
                raise InvalidValueError(
                    f"agent {agent_id!r} has no room for {channel.value} work ({held}){blocked}"
                )
            instant = None
            if at is not None:
                instant = self._at
                if at is not instant[0]:  # a backlog is assigned at one instant: convert it once
                    instant = self._instant(require_aware(at, "AgentPool.assign(at)"))
            self._give(slot, channel, need, instant)

    def _instant(self, at: datetime) -> _Instant:
        """Remember ``at`` (aware) as the assignment instant, with its epoch seconds and key."""
        stamp = at.timestamp()
        self._at = (at, stamp, _ordinal(stamp))
        return self._at

    def _give(self, slot: _Slot, channel: Channel, units: int, at: _Instant | None) -> None:
        """Add one piece of work on ``channel`` of ``units`` to ``slot``, assigned at the instant
        ``at`` (from :meth:`_instant`) unless ``None``; the caller has checked the room."""
        if slot.limits is None:
            slot.load += slot.cap if units < 0 else units
        else:
            slot.load += self._pieces[channel]
        counts = slot.counts
        counts[channel] = counts.get(channel, 0) + 1
        if channel in slot.blocking:
            slot.blocks += 1
        if slot.tallies:
            _retally(slot)
        if at is None:
            if slot.keyed:  # a plugin's key may drop on assignment: re-ranked now
                self._touched(slot)
            return
        when, stamp, idle = at
        earlier = stamp < slot.last
        slot.last_at = when
        slot.last = stamp
        slot.idle = idle
        if earlier or slot.keyed:  # a key that may drop must be re-ranked now, not lazily
            self._touched(slot)
        # Keys only grow on assignment: entries are corrected lazily when they reach a heap's top.

    def release(self, agent_id: str, channel: Channel | str) -> None:
        """Take one piece of work on ``channel`` off ``agent_id`` (the load never goes below 0).

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", active_tickets=1)])
            >>> pool.release("a1", "email"); pool.load("a1")
            0.0
        """
        channel = Channel(channel)
        with self._lock:
            slot = self._slot(agent_id)
            if slot.limits is None:
                need = self._units[channel]
                slot.load = max(0, slot.load - (slot.cap if need < 0 else need))
            else:
                slot.load = max(0, slot.load - self._pieces[channel])
            held = slot.counts.get(channel, 0)
            if held:
                slot.held(channel, held - 1)
            self._touched(slot)

    def clear(self, agent_id: str) -> None:
        """Take all work off ``agent_id`` (its last assignment time is kept).

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", active_tickets=3)])
            >>> pool.clear("a1"); pool.load("a1")
            0.0
        """
        with self._lock:
            slot = self._slot(agent_id)
            slot.load = 0
            slot.counts = {}
            slot.blocks = 0
            self._touched(slot)

    def set_status(self, agent_id: str, status: AgentStatus | str) -> None:
        """Change the presence of ``agent_id``.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1")])
            >>> pool.set_status("a1", "away"); pool.status("a1")
            AgentStatus.AWAY
        """
        status = AgentStatus(status)
        with self._lock:
            slot = self._slot(agent_id)
            if status is slot.status:
                return
            for channel in slot.channels:
                ids = self._ids.get((channel, slot.status))
                if ids is not None:
                    ids.remove(slot.id)
                insort(self._ids.setdefault((channel, status), []), slot.id)
            self._by_status[slot.status].discard(slot.id)
            self._by_status.setdefault(status, set()).add(slot.id)
            _untally(slot)
            slot.status = status
            for tally in self._tallies.values():
                if tally.status is status and tally.channel in slot.channels:
                    tally.join(slot)
            slot.heaps = []  # entries left in the old status's heaps are dropped when they surface
            for key, kind in self._heaps.items():
                if key[2] is status and key[1] in slot.channels and _fits(slot, key[3], key[4]):
                    entry = kind.entry(slot)
                    if entry is not None:
                        heapq.heappush(kind.heap, entry)
                        slot.heaps.append(kind)

    def set_agent(self, agent: Agent) -> None:
        """Add ``agent``, or change the agent with its id (skills, channels, capacity, status...).

        A changed agent keeps the work it holds (its load and pieces per channel) and its last
        assignment time; a new one starts with its ``active_tickets``. The indexes are rebuilt
        (one pass over the agents): roster changes are rare next to decisions.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", capacity=1)])
            >>> pool.assign("a1", "email")
            >>> pool.set_agent(Agent(id="a1", capacity=2)); pool.set_agent(Agent(id="a2"))
            >>> pool.load("a1"), pool.can_take("a1", "email"), len(pool)
            (1.0, True, 2)
        """
        if not isinstance(agent, Agent):
            raise InvalidValueError(f"AgentPool.set_agent takes an Agent, got {agent!r}")
        with self._lock:
            old = self._slots.get(agent.id)
            slot = _Slot(agent, 0, self.weights)
            if old is not None:
                slot.load = old.load
                slot.last_at, slot.last, slot.idle = old.last_at, old.last, old.idle
                for channel, count in old.counts.items():
                    slot.held(channel, count)
            self._slots[agent.id] = slot
            self._index()

    def remove_agent(self, agent_id: str) -> Agent:
        """Remove ``agent_id`` from the pool and return it as it was (with its load).

        Raises:
            UnknownFieldError: If there is no such agent.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1"), Agent(id="a2")])
            >>> pool.remove_agent("a1").id, list(pool)
            ('a1', ['a2'])
        """
        with self._lock:
            agent = self.agent(agent_id)
            del self._slots[agent_id]
            self._index()
            return agent

    # ------------------------------------------------------------------ choosing

    def _kind(
        self, need: Need, strategy: BuiltinStrategy | KeyStrategy, status: AgentStatus
    ) -> _Kind:
        """Return the kind of work (its heap built on first use, rebuilt when long)."""
        channel = need.channel
        key: _HeapKey = (strategy, channel, status, need.skills, need.languages)
        kind = self._heaps.get(key)
        if kind is None:
            members = _members(self._static, self._slots, self._by_status.get(status, set()), need)
            slots = map(self._slots.__getitem__, members)
            kind = _build_kind(need, strategy, status, self._units[channel], self._bits, slots)
            self._heaps[key] = kind
        elif len(kind.heap) > self._limit:
            _rebuild(kind, self._by_rank, self._bits)
        if len(self._fast) > 4096:
            self._fast.clear()
        self._fast[need] = kind
        return kind

    def choose(
        self,
        need: Need,
        strategy: BuiltinStrategy | KeyStrategy,
        status: AgentStatus,
        *,
        after: str | None = None,
        among: Iterable[str] | None = None,
    ) -> tuple[str | None, int]:
        """Return the agent a strategy picks among agents of ``status``, and how many were looked at.

        Args:
            need: Channel, skills and languages the work needs.
            strategy: A built-in strategy.
            status: Only agents with this presence are considered.
            after: Round robin: the queue's last assignee.
            among: Only these agent ids are considered (preferred agents); a short list is
                scanned directly.

        Example:
            >>> from cs8 import Agent
            >>> from cs8.routing import LeastBusy
            >>> pool = AgentPool([Agent(id="a1", active_tickets=2), Agent(id="a2", active_tickets=1)])
            >>> pool.choose(Need(Channel.EMAIL), LeastBusy(), AgentStatus.ONLINE)
            ('a2', 1)
        """
        with self._lock:
            if among is not None:
                chosen = [self._slots[i] for i in among if i in self._slots]
                chosen = [s for s in chosen if s.status is status]
                return _linear(chosen, need, strategy, self.weights, after), len(chosen)
            if isinstance(strategy, RoundRobin):
                ids = self._ids.get((need.channel, status), [])
                return _round_robin(ids, self._slots, need, self._units[need.channel], after)
            picks: _Picks = []
            looked: _Looked = []
            self._serve(status, None, (need,), (strategy,), picks, looked)
            return picks[0], looked[0]

    def taker(
        self, at: datetime, status: AgentStatus = AgentStatus.ONLINE
    ) -> Callable[[Sequence[Need], Sequence[BuiltinStrategy | KeyStrategy], _Picks, _Looked], None]:
        """Return a function that serves a run of work in order: for each need (with its
        strategy) it chooses an agent of ``status`` as :meth:`choose` does and gives it the work
        at ``at``, appending the agent's id (or None) to ``picks`` and how many agents were
        looked at to ``looked`` as it goes: ``take(needs, strategies, picks, looked)``; what
        ``Router.assign`` does for a backlog's tickets (two lists of strings and numbers: no
        object per ticket for the garbage collector to track).

        If choosing raises (a :class:`~cs8.routing.KeyStrategy`'s key), the lists hold the
        results of the work before the one that raised, and the pool is as they left it. The caller
        holds :attr:`lock` while it uses the function, which does not lock (one lock for a whole
        backlog rather than one per ticket). Heap-ranked strategies only: round robin needs the
        queue's last assignee (use :meth:`choose` and :meth:`assign`).

        Raises:
            NaiveDatetimeError: If ``at`` has no time zone.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Agent
            >>> from cs8.routing import LeastBusy
            >>> pool = AgentPool([Agent(id="a1"), Agent(id="a2")])
            >>> picks, looked = [], []
            >>> with pool.lock:
            ...     take = pool.taker(datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
            ...     take([Need(Channel.EMAIL)] * 3, [LeastBusy()] * 3, picks, looked)
            >>> picks, looked
            (['a1', 'a2', 'a1'], [1, 2, 2])
        """
        instant = self._instant(require_aware(at, "AgentPool.taker(at)"))
        return partial(self._serve, status, instant)

    def _serve(
        self,
        status: AgentStatus,
        at: _Instant | None,
        needs: Sequence[Need],
        strategies: Sequence[BuiltinStrategy | KeyStrategy],
        picks: _Picks,
        looked: _Looked,
    ) -> None:
        """For each need in turn, the agent a heap-ranked strategy picks among agents of
        ``status`` (the top of the kind's heap), given the work at ``at`` (from
        :meth:`_instant`) unless ``None``, and how many agents were looked at, appended to
        ``picks`` and ``looked`` (see :meth:`taker`)."""
        fast = self._fast
        by_rank = self._by_rank
        give = self._give
        pick = picks.append
        count = looked.append
        for need, strategy in zip(needs, strategies, strict=True):
            kind = fast.get(need)  # the kind last used for this Need, by identity
            if (
                kind is None
                or kind.strategy is not strategy
                or kind.status is not status
                or len(kind.heap) > self._limit
            ):
                kind = self._kind(need, strategy, status)
            slot, seen = (serve_keyed if kind.mode == 6 else serve_heap)(kind, by_rank)
            if slot is not None and at is not None:
                give(slot, kind.channel, kind.units, at)
            pick(None if slot is None else slot.id)
            count(seen)

    # ------------------------------------------------------------------ explaining

    def filter_counts(
        self, need: Need, status: AgentStatus, among: Iterable[str] | None = None
    ) -> tuple[tuple[str, int], ...]:
        """Return how many agents are left after each filter, in order (without ``among``, from
        tallies kept up to date: one pass over the agents the first time a need is counted).

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", skills={"vip": 1}), Agent(id="a2", status="away")])
            >>> pool.filter_counts(Need(Channel.EMAIL, skills={"vip": 1}), AgentStatus.ONLINE)
            (('agents', 2), ('status online', 1), ('channel email', 1), ('spare capacity', 1), ('skills vip>=1', 1))
        """
        numbers = self.filter_numbers(need, status, among)
        labels = filter_labels(need, status, among is not None)
        return tuple(zip(labels, numbers, strict=True))

    def filter_numbers(
        self, need: Need, status: AgentStatus, among: Iterable[str] | None = None
    ) -> tuple[int, ...]:
        """Return the numbers of :meth:`filter_counts` alone (what a lazy trace keeps: the text
        is written when the trace is read).

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1"), Agent(id="a2", status="away")])
            >>> pool.filter_numbers(Need(Channel.EMAIL), AgentStatus.ONLINE)
            (2, 1, 1, 1)
        """
        with self._lock:
            units = self._units[need.channel]
            if among is not None:
                slots = [self._slots[i] for i in set(among) if i in self._slots]
                return count_filters(slots, need, status, among, units)
            by_status = self._by_status
            return _tallied(self._tallies, self._slots, by_status, self._ids, need, status, units)

    def eligible(
        self, need: Need, status: AgentStatus, *, among: Iterable[str] | None = None
    ) -> tuple[Agent, ...]:
        """Return the agents of ``status`` that pass every filter for ``need``, by id (a linear pass).

        This is what a :class:`~cs8.routing.Strategy` plugin chooses from.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="b"), Agent(id="a", capacity=0)])
            >>> [a.id for a in pool.eligible(Need(Channel.EMAIL), AgentStatus.ONLINE)]
            ['b']
        """
        with self._lock:
            units = self._units[need.channel]
            if among is None:
                slots: Iterable[_Slot] = self._slots.values()
            else:
                slots = [self._slots[i] for i in set(among) if i in self._slots]
            ids = sorted(
                s.id
                for s in slots
                if s.status is status
                and need.channel in s.channels
                and _room(s, units, need.channel)
                and _qualifies(s, need)
            )
            return tuple(self.agent(i) for i in ids)

    def linear_choose(
        self,
        need: Need,
        strategy: BuiltinStrategy,
        status: AgentStatus,
        *,
        after: str | None = None,
    ) -> str | None:
        """Return what :meth:`choose` returns, by scanning every agent (the reference oracle).

        Example:
            >>> from cs8 import Agent
            >>> from cs8.routing import LeastBusy
            >>> pool = AgentPool([Agent(id="a1", active_tickets=2), Agent(id="a2", active_tickets=1)])
            >>> pool.linear_choose(Need(Channel.EMAIL), LeastBusy(), AgentStatus.ONLINE)
            'a2'
        """
        with self._lock:
            slots = [s for s in self._slots.values() if s.status is status]
            return _linear(slots, need, strategy, self.weights, after)
