"""The agent pool: agents indexed by channel, status and skill, updated as their loads change.

An :class:`AgentPool` is a *working object that the caller owns*: it is mutable, and only its own
methods (:meth:`AgentPool.assign`, :meth:`AgentPool.release`, :meth:`AgentPool.set_status`) change
it. :meth:`cs8.routing.Router.route` reads a pool and never changes it;
:meth:`cs8.routing.Router.assign` works on a copy and returns the new loads. Nothing is global:
two pools never share state, and :meth:`AgentPool.copy` gives an independent one. A pool is not
safe to change from two threads at once (guard it with a lock, or give each worker its own copy).

How a decision avoids scanning every agent: for each kind of work seen so far (strategy, channel,
status, required skills and levels, languages) the pool keeps a heap of exactly the agents that
qualify, ordered by the strategy's key; it is built on first use (one pass) and kept up to date.
An entry is one integer: the strategy's key, then the agent's place in id order (the tie-break),
so entries never tie and compare in one step. An assignment only raises the chosen agent's key, so
nothing is pushed then: an entry below the agent's key now is moved down when it reaches the top
of a heap. A release (which lowers a key) or a status change pushes a fresh entry into each heap
the agent belongs to; an entry above the agent's key now (a fresher one is below it), a second
entry equal to one just moved, and the entry of an agent that changed status are dropped when
they surface. Agents without room for the channel leave a heap until a release gives them room
again. A decision therefore looks at the top of one heap, however large the pool. Round robin
walks a sorted list of agent ids from the rotation point.

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
import struct
from bisect import bisect_right, insort
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any, TypeAlias

import attrs

from cs8._enums import AgentStatus, Channel
from cs8._frozen import FrozenDict
from cs8._models import Agent
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError, UnknownFieldError
from cs8.routing._strategies import (
    BuiltinStrategy,
    LeastBusy,
    LongestIdle,
    RoundRobin,
    Weighted,
)

__all__ = ["AgentPool", "ChannelWeights", "Need"]

_UNIT = 1000
_NEG_INF = float("-inf")
_heappop = heapq.heappop
_heapreplace = heapq.heapreplace
_pack_double = struct.Struct(">d").pack
_from_bytes = int.from_bytes


def _ordinal(x: float) -> int:
    """An integer in the same order as the float ``x`` (exact: its IEEE 754 bits, sign folded).

    Example:
        >>> _ordinal(float("-inf")) < _ordinal(-1.5) < _ordinal(0.0) == _ordinal(-0.0) < _ordinal(1e-300)
        True
    """
    if x >= 0:
        return _from_bytes(_pack_double(x + 0.0))  # + 0.0: -0.0 counts as 0.0
    return -_from_bytes(_pack_double(-x))


_SHARE_BITS = 64
"""Most skilled: the skill level sits above the share's ordinal (which is below 2**63)."""


def _to_units(value: float) -> int:
    return round(value * _UNIT)


def _channel_map(value: Mapping[Channel | str, float] | None) -> FrozenDict[Channel, float]:
    out: dict[Channel, float] = {}
    for channel, weight in (value or {}).items():
        try:
            key = Channel(channel)
        except ValueError:
            raise InvalidValueError(
                f"ChannelWeights.weights has an unknown channel {channel!r}"
            ) from None
        if (
            not isinstance(weight, int | float)
            or isinstance(weight, bool)
            or not 0 < weight < float("inf")
            or _to_units(weight) < 1
        ):
            raise InvalidValueError(
                f"ChannelWeights.weights[{key.value!r}] must be a number of at least 0.001, "
                f"got {weight!r}"
            )
        out[key] = float(weight)
    return FrozenDict(out)


def _channel_set(value: Iterable[Channel | str] | None) -> frozenset[Channel]:
    try:
        return frozenset(Channel(v) for v in (value or ()))
    except ValueError as exc:
        raise InvalidValueError(f"ChannelWeights.fills has an unknown channel: {exc}") from None


@attrs.frozen(kw_only=True)
class ChannelWeights:
    """How much of an agent's capacity one piece of work on each channel takes.

    Capacity (``Agent.capacity``) counts units of work. An email takes one unit unless
    ``weights`` says otherwise; a chat may take a fraction (``{"chat": 0.5}`` lets an agent of
    capacity 2 hold four chats). A channel in ``fills`` takes the whole agent: it goes only to an
    agent holding nothing, and fills it (Zendesk: calls are blocking).

    Args:
        weights: Channel to units per piece of work (at least 0.001).
        default: Units for a channel not in ``weights``.
        fills: Channels where one piece of work fills the agent.

    Example:
        >>> cw = ChannelWeights(weights={"chat": 0.5})
        >>> cw.units(Channel.CHAT, capacity=4), cw.units(Channel.EMAIL, 4), cw.units(Channel.PHONE, 4)
        (0.5, 1.0, 4.0)
    """

    weights: FrozenDict[Channel, float] = attrs.field(factory=FrozenDict, converter=_channel_map)
    default: float = 1.0
    fills: frozenset[Channel] = attrs.field(
        factory=lambda: frozenset({Channel.PHONE}), converter=_channel_set
    )

    def __attrs_post_init__(self) -> None:
        d = self.default
        if not isinstance(d, int | float) or isinstance(d, bool) or not 0.001 <= d < float("inf"):
            raise InvalidValueError(
                f"ChannelWeights.default must be a number of at least 0.001, got {d!r}"
            )

    def units(self, channel: Channel, capacity: float) -> float:
        """Return the units one piece of work on ``channel`` takes from an agent of ``capacity``.

        Example:
            >>> ChannelWeights(weights={"chat": 0.25}).units(Channel.CHAT, capacity=5)
            0.25
        """
        if channel in self.fills:
            return float(capacity)
        return self.weights.get(channel, float(self.default))

    def _milli(self, channel: Channel) -> int:
        """Units in thousandths; ``-1`` for a channel that fills the agent."""
        if channel in self.fills:
            return -1
        return _to_units(self.weights.get(channel, float(self.default)))


class Need:
    """What a piece of work needs from an agent: a channel, skills at minimum levels, a language.

    ``languages`` are alternatives: an agent speaking any one of them qualifies (none means any
    agent). A skill at minimum level 0 needs the skill at any level; an agent without the skill
    never qualifies.

    Example:
        >>> need = Need(Channel.EMAIL, skills={"refunds": 2}, languages={"vi"})
        >>> need.primary_skill
        'refunds'
    """

    __slots__ = ("anchor", "channel", "languages", "primary_skill", "skills")

    def __init__(
        self,
        channel: Channel,
        skills: Mapping[str, int] | None = None,
        languages: Iterable[str] | None = None,
    ) -> None:
        self.channel = Channel(channel)
        self.skills: tuple[tuple[str, int], ...] = tuple(sorted((skills or {}).items()))
        self.languages: frozenset[str] = frozenset(languages or ())
        self.anchor: tuple[str, int] | None = (
            min(self.skills, key=lambda s: (-s[1], s[0])) if self.skills else None
        )
        self.primary_skill: str | None = None if self.anchor is None else self.anchor[0]

    def __repr__(self) -> str:
        return (
            f"Need({self.channel!r}, skills={dict(self.skills)!r}, "
            f"languages={sorted(self.languages)!r})"
        )


_Entry: TypeAlias = int
"""A heap entry: the strategy's key as an integer, shifted left by the pool's rank bits, then the
agent's rank (place in id order)."""

_Instant: TypeAlias = tuple["datetime | None", float, int]
"""An assignment instant, its epoch seconds and its longest-idle key (see AgentPool._instant)."""

_HeapKey: TypeAlias = tuple[
    Any, Channel, AgentStatus, "tuple[tuple[str, int], ...]", frozenset[str]
]
"""(strategy, channel, status, required skills with minimum levels, accepted languages)."""


class _Kind:
    """One kind of work's heap in a pool, with what ranking it needs, for the decision loop."""

    __slots__ = ("bits", "heap", "mask", "mode", "skill", "status", "strategy", "units", "weight")

    def __init__(
        self,
        heap: list[_Entry],
        need: Need,
        strategy: BuiltinStrategy,
        status: AgentStatus,
        units: int,
        bits: int,
    ) -> None:
        self.heap = heap
        self.strategy = strategy
        self.status = status
        self.units = units
        self.bits = bits
        self.mask = (1 << bits) - 1  # an entry's rank bits
        self.skill = need.primary_skill
        self.weight = strategy.weight if isinstance(strategy, Weighted) else _one
        if isinstance(strategy, LeastBusy):
            self.mode = ("count", "spare", "share").index(strategy.by)
        elif isinstance(strategy, LongestIdle):
            self.mode = 3
        elif isinstance(strategy, Weighted):
            self.mode = 4
        else:
            self.mode = 5

    def entry(self, slot: _Slot) -> _Entry | None:
        """The heap entry of ``slot`` now, or ``None`` if it never ranks (a weight of 0).

        The key orders agents exactly as the float key of :func:`_float_key` does (the
        reference scan's), ties broken by agent id.
        """
        mode = self.mode
        load = slot.load
        cap = slot.cap
        if mode == 0:
            key = load
        elif mode == 1:
            key = load - cap
        elif mode == 2:
            key = _ordinal(load / cap if cap else 1.0)
        elif mode == 3:
            key = slot.idle
        elif mode == 4:
            weight = self.weight(slot.id)
            if weight <= 0:
                return None
            key = _ordinal(load / weight)
        else:
            level = slot.skills.get(self.skill, 0) if self.skill is not None else 0
            key = (-level << _SHARE_BITS) | _ordinal(load / cap if cap else 1.0)
        return (key << self.bits) | slot.rank

    def copy(self) -> _Kind:
        new = _Kind.__new__(_Kind)
        for name in _Kind.__slots__:
            setattr(new, name, getattr(self, name))
        new.heap = list(self.heap)
        return new


def _one(agent_id: str) -> float:
    return 1.0


class _Slot:
    """One agent's live state inside a pool."""

    __slots__ = (
        "agent",
        "cap",
        "channels",
        "heaps",
        "id",
        "idle",
        "languages",
        "last",
        "last_at",
        "load",
        "rank",
        "skills",
        "status",
    )

    def __init__(self, agent: Agent, rank: int) -> None:
        self.agent = agent
        self.rank = rank  # place in id order: the tie-break in heap entries
        self.id = agent.id
        self.cap = _to_units(agent.capacity)
        self.load = _to_units(agent.active_tickets)
        self.last_at: datetime | None = agent.last_assigned_at
        self.last = _NEG_INF if self.last_at is None else self.last_at.timestamp()
        self.idle = _ordinal(self.last)  # the longest-idle key
        self.status = agent.status
        self.channels = agent.channels
        self.skills: dict[str, int] = dict(agent.skills)
        self.languages = agent.languages
        # The kinds of work whose heaps this agent is a member of (built lazily by the pool).
        self.heaps: list[_Kind] = []

    def copy(self) -> _Slot:
        new = _Slot.__new__(_Slot)
        for name in _Slot.__slots__:
            setattr(new, name, getattr(self, name))
        new.heaps = []
        return new


def _room(slot: _Slot, need_units: int) -> bool:
    """Whether the agent can take one more piece of work of ``need_units`` (``-1``: fills)."""
    if need_units < 0:
        return slot.load == 0 and slot.cap > 0
    return slot.load + need_units <= slot.cap


def _qualifies(slot: _Slot, need: Need) -> bool:
    return _fits(slot, need.skills, need.languages)


class AgentPool:
    """Agents indexed by channel, status and skill; a mutable working object the caller owns.

    Args:
        agents: The agents (ids must be unique). Their ``active_tickets`` are the starting loads.
        weights: How much capacity a piece of work takes on each channel.

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
        "_slots",
        "_static",
        "_units",
        "weights",
    )

    def __init__(
        self, agents: Iterable[Agent] = (), *, weights: ChannelWeights | None = None
    ) -> None:
        self.weights = ChannelWeights() if weights is None else weights
        self._units: dict[Channel, int] = {c: self.weights._milli(c) for c in Channel}
        self._slots: dict[str, _Slot] = {}
        for agent in agents:
            if not isinstance(agent, Agent):
                raise InvalidValueError(f"AgentPool agents must be Agent values, got {agent!r}")
            if agent.id in self._slots:
                raise InvalidValueError(f"AgentPool has two agents with id {agent.id!r}")
            self._slots[agent.id] = _Slot(agent, 0)
        # Ranks in id order: a heap entry ends with the agent's rank, in this many bits.
        self._by_rank: list[_Slot] = sorted(self._slots.values(), key=lambda s: s.id)
        for rank, slot in enumerate(self._by_rank):
            slot.rank = rank
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
        # Need -> the kind last used for it (a need almost always goes with one strategy and
        # status: the router keeps one Need per kind of work).
        self._fast: dict[Need, _Kind] = {}
        # A heap longer than this is rebuilt (out-of-date entries dropped) before use.
        self._limit = 4 * len(self._slots) + 64

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return len(self._slots)

    def __iter__(self) -> Iterator[str]:
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
        return FrozenDict({i: self._slots[i].load / _UNIT for i in sorted(self._slots)})

    def status(self, agent_id: str) -> AgentStatus:
        """Return the presence of ``agent_id``.

        Example:
            >>> from cs8 import Agent
            >>> AgentPool([Agent(id="a1", status="busy")]).status("a1")
            AgentStatus.BUSY
        """
        return self._slot(agent_id).status

    def spare(self, agent_id: str, channel: Channel | str) -> float:
        """Return the capacity left on ``agent_id`` in units (0 when full).

        Example:
            >>> from cs8 import Agent
            >>> AgentPool([Agent(id="a1", capacity=3, active_tickets=1)]).spare("a1", "email")
            2.0
        """
        slot = self._slot(agent_id)
        return max(0, slot.cap - slot.load) / _UNIT

    def can_take(self, agent_id: str, channel: Channel | str) -> bool:
        """Whether ``agent_id`` works ``channel`` and has room for one more piece of work on it.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", channels={"email", "phone"}, active_tickets=1)])
            >>> pool.can_take("a1", "email"), pool.can_take("a1", "phone"), pool.can_take("a1", "chat")
            (True, False, False)
        """
        slot = self._slot(agent_id)
        channel = Channel(channel)
        return channel in slot.channels and _room(slot, self._units[channel])

    def copy(self) -> AgentPool:
        """Return an independent pool with the same agents, loads and indexes.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1")])
            >>> other = pool.copy()
            >>> other.assign("a1", "email")
            >>> pool.load("a1"), other.load("a1")
            (0.0, 1.0)
        """
        new = AgentPool.__new__(AgentPool)
        new.weights = self.weights
        new._units = self._units
        new._slots = {k: s.copy() for k, s in self._slots.items()}
        new._by_rank = [new._slots[s.id] for s in self._by_rank]
        new._bits = self._bits
        new._ids = {k: list(v) for k, v in self._ids.items()}
        new._by_status = {k: set(v) for k, v in self._by_status.items()}
        new._static = self._static  # agents' channels, skills and languages never change
        new._at = (None, 0.0, 0)
        kinds = {id(kind): kind.copy() for kind in self._heaps.values()}
        new._heaps = {key: kinds[id(kind)] for key, kind in self._heaps.items()}
        new._fast = {}
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
        push = heapq.heappush
        limit = self._limit
        for kind in slot.heaps:
            entry = kind.entry(slot)
            if entry is not None:
                push(kind.heap, entry)
                if len(kind.heap) > limit:
                    self._rebuild(kind)

    def _rebuild(self, kind: _Kind) -> None:
        """Keep one entry per member of ``kind``'s heap still of its status, at its key now (the
        same entries as popping every out-of-date one would leave; room is checked when they
        surface)."""
        by_rank = self._by_rank
        mask = (1 << self._bits) - 1
        fresh = []
        for rank in {e & mask for e in kind.heap}:
            slot = by_rank[rank]
            if slot.status is kind.status:
                entry = kind.entry(slot)
                if entry is not None:
                    fresh.append(entry)
        heapq.heapify(fresh)
        kind.heap[:] = fresh

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
        slot = self._slot(agent_id)
        if type(channel) is not Channel:
            channel = Channel(channel)
        if channel not in slot.channels:
            raise InvalidValueError(f"agent {agent_id!r} does not work the {channel.value} channel")
        need = self._units[channel]
        if not _room(slot, need):
            raise InvalidValueError(
                f"agent {agent_id!r} has no room for {channel.value} work "
                f"(load {slot.load / _UNIT} of capacity {slot.cap // _UNIT})"
            )
        instant = None
        if at is not None:
            instant = self._at
            if at is not instant[0]:  # a backlog is assigned at one instant: convert it once
                instant = self._instant(require_aware(at, "AgentPool.assign(at)"))
        self._give(slot, need, instant)

    def _instant(self, at: datetime) -> _Instant:
        """Remember ``at`` (aware) as the assignment instant, with its epoch seconds and key."""
        stamp = at.timestamp()
        self._at = (at, stamp, _ordinal(stamp))
        return self._at

    def _give(self, slot: _Slot, units: int, at: _Instant | None) -> None:
        """Add one piece of work of ``units`` to ``slot``, assigned at the instant ``at`` (from
        :meth:`_instant`) unless ``None``; the caller has checked the channel and the room."""
        slot.load += slot.cap if units < 0 else units
        if at is None:
            return
        when, stamp, idle = at
        earlier = stamp < slot.last
        slot.last_at = when
        slot.last = stamp
        slot.idle = idle
        if earlier:  # a longest-idle key that drops must be re-ranked now, not lazily
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
        slot = self._slot(agent_id)
        need = self._units[Channel(channel)]
        slot.load = max(0, slot.load - (slot.cap if need < 0 else need))
        self._touched(slot)

    def clear(self, agent_id: str) -> None:
        """Take all work off ``agent_id`` (its last assignment time is kept).

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", active_tickets=3)])
            >>> pool.clear("a1"); pool.load("a1")
            0.0
        """
        slot = self._slot(agent_id)
        slot.load = 0
        self._touched(slot)

    def set_status(self, agent_id: str, status: AgentStatus | str) -> None:
        """Change the presence of ``agent_id``.

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1")])
            >>> pool.set_status("a1", "away"); pool.status("a1")
            AgentStatus.AWAY
        """
        slot = self._slot(agent_id)
        status = AgentStatus(status)
        if status is slot.status:
            return
        for channel in slot.channels:
            ids = self._ids.get((channel, slot.status))
            if ids is not None:
                ids.remove(slot.id)
            insort(self._ids.setdefault((channel, status), []), slot.id)
        self._by_status[slot.status].discard(slot.id)
        self._by_status.setdefault(status, set()).add(slot.id)
        slot.status = status
        slot.heaps = []  # entries left in the old status's heaps are dropped when they surface
        for key, kind in self._heaps.items():
            if key[2] is status and key[1] in slot.channels and _fits(slot, key[3], key[4]):
                entry = kind.entry(slot)
                if entry is not None:
                    heapq.heappush(kind.heap, entry)
                    slot.heaps.append(kind)

    # ------------------------------------------------------------------ choosing

    def _kind(self, need: Need, strategy: BuiltinStrategy, status: AgentStatus) -> _Kind:
        """Return the kind of work (its heap built on first use, rebuilt when long)."""
        channel = need.channel
        key: _HeapKey = (strategy, channel, status, need.skills, need.languages)
        kind = self._heaps.get(key)
        if kind is None:
            kind = _Kind([], need, strategy, status, self._units[channel], self._bits)
            for agent_id in self._members(need, status):
                slot = self._slots[agent_id]
                entry = kind.entry(slot)
                if entry is not None:
                    kind.heap.append(entry)
                    slot.heaps.append(kind)
            heapq.heapify(kind.heap)
            self._heaps[key] = kind
        elif len(kind.heap) > self._limit:
            self._rebuild(kind)
        if len(self._fast) > 4096:
            self._fast.clear()
        self._fast[need] = kind
        return kind

    def _static_set(self, kind: str, value: object, level: int = 0) -> frozenset[str]:
        key = (kind, value, level)
        found = self._static.get(key)
        if found is None:
            slots = self._slots.values()
            if kind == "channel":
                found = frozenset(s.id for s in slots if value in s.channels)
            elif kind == "skill":
                found = frozenset(s.id for s in slots if s.skills.get(str(value), -1) >= level)
            else:
                found = frozenset(s.id for s in slots if value in s.languages)
            self._static[key] = found
        return found

    def _members(self, need: Need, status: AgentStatus) -> list[str]:
        """Ids of the agents of ``status`` that qualify for ``need`` (room aside), by set algebra."""
        sets: list[AbstractSet[str]] = [
            self._by_status.get(status, set()),
            self._static_set("channel", need.channel),
        ]
        sets.extend(self._static_set("skill", skill, level) for skill, level in need.skills)
        if need.languages:
            speakers: set[str] = set()
            for language in need.languages:
                speakers |= self._static_set("language", language)
            sets.append(speakers)
        sets.sort(key=len)
        members = set(sets[0]).intersection(*sets[1:])
        return sorted(members)

    def choose(
        self,
        need: Need,
        strategy: BuiltinStrategy,
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
        if among is not None:
            chosen = [self._slots[i] for i in among if i in self._slots]
            chosen = [s for s in chosen if s.status is status]
            return _linear(chosen, need, strategy, self.weights, after), len(chosen)
        if isinstance(strategy, RoundRobin):
            return self._round_robin(need, self._units[need.channel], status, after)
        slot, looked = self._serve(need, strategy, status, None)
        return (None if slot is None else slot.id), looked

    def _serve(
        self, need: Need, strategy: BuiltinStrategy, status: AgentStatus, at: _Instant | None
    ) -> tuple[_Slot | None, int]:
        """The agent a heap-ranked strategy picks among agents of ``status`` (the top of the
        kind's heap), given the work at ``at`` (from :meth:`_instant`) unless ``None``; and how
        many agents were looked at. Entries found out of date on the way are moved or dropped.

        One function for the lookup, the heap walk and the assignment: the router's backlog
        calls it once per ticket, and each call of a Python function costs as much as a step."""
        kind = self._fast.get(need)  # the kind last used for this Need, by identity
        if (
            kind is None
            or kind.strategy is not strategy
            or kind.status is not status
            or len(kind.heap) > self._limit
        ):
            kind = self._kind(need, strategy, status)
        heap = kind.heap
        units = kind.units
        mode = kind.mode
        bits = kind.bits
        mask = kind.mask
        by_rank = self._by_rank
        looked = 0
        moved = -1  # the entry last moved down (a second entry equal to it is dropped)
        while heap:
            entry = heap[0]
            slot = by_rank[entry & mask]
            if slot.status is not status:
                _heappop(heap)  # the agent changed status (and was pushed where it belongs now)
                continue
            load = slot.load
            cap = slot.cap
            if (load or not cap) if units < 0 else load + units > cap:
                looked += 1
                _heappop(heap)  # no room: back in when a release gives it room (a fresh entry)
                continue
            # The agent's entry now (the same number as _Kind.entry, with _ordinal inlined: a
            # share is never negative); assignments only raise it.
            if mode == 0:
                key = load
            elif mode == 1:
                key = load - cap
            elif mode == 2:
                key = _from_bytes(_pack_double(load / cap))
            elif mode == 3:
                key = slot.idle
            elif mode == 4:
                key = _ordinal(load / kind.weight(slot.id))
            else:
                level = slot.skills.get(kind.skill, 0) if kind.skill is not None else 0
                key = (-level << _SHARE_BITS) | _from_bytes(_pack_double(load / cap))
            now = (key << bits) | slot.rank
            if entry == now:
                # Every member of this heap has the skills and a language the work needs, and
                # this one has room.
                if at is not None:
                    self._give(slot, units, at)
                return slot, looked + 1
            if entry > now or entry == moved:
                _heappop(heap)  # a fresher entry (pushed when the key dropped) or a twin is below
                continue
            looked += 1
            moved = entry
            _heapreplace(heap, now)  # its key grew: move down
        return None, looked

    def _round_robin(
        self, need: Need, need_units: int, status: AgentStatus, after: str | None
    ) -> tuple[str | None, int]:
        ids = self._ids.get((need.channel, status), [])
        n = len(ids)
        if not n:
            return None, 0
        start = 0 if after is None else bisect_right(ids, after)
        slots = self._slots
        for step in range(n):
            slot = slots[ids[(start + step) % n]]
            if _room(slot, need_units) and _qualifies(slot, need):
                return slot.id, step + 1
        return None, n

    # ------------------------------------------------------------------ explaining

    def filter_counts(
        self, need: Need, status: AgentStatus, among: Iterable[str] | None = None
    ) -> tuple[tuple[str, int], ...]:
        """Return how many agents are left after each filter, in order (a linear pass).

        Example:
            >>> from cs8 import Agent
            >>> pool = AgentPool([Agent(id="a1", skills={"vip": 1}), Agent(id="a2", status="away")])
            >>> pool.filter_counts(Need(Channel.EMAIL, skills={"vip": 1}), AgentStatus.ONLINE)
            (('agents', 2), ('status online', 1), ('channel email', 1), ('spare capacity', 1), ('skills vip>=1', 1))
        """
        slots: list[_Slot] = list(self._slots.values())
        out: list[tuple[str, int]] = []
        if among is not None:
            wanted = set(among)
            slots = [s for s in slots if s.id in wanted]
            out.append(("preferred agents", len(slots)))
        else:
            out.append(("agents", len(slots)))
        slots = [s for s in slots if s.status is status]
        out.append((f"status {status.value}", len(slots)))
        slots = [s for s in slots if need.channel in s.channels]
        out.append((f"channel {need.channel.value}", len(slots)))
        units = self._units[need.channel]
        slots = [s for s in slots if _room(s, units)]
        out.append(("spare capacity", len(slots)))
        if need.skills:
            for skill, level in need.skills:
                slots = [s for s in slots if s.skills.get(skill, -1) >= level]
            out.append((f"skills {_skills_text(need.skills)}", len(slots)))
        if need.languages:
            langs = need.languages
            slots = [s for s in slots if not langs.isdisjoint(s.languages)]
            out.append((f"language {'/'.join(sorted(langs))}", len(slots)))
        return tuple(out)

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
            and _room(s, units)
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
        slots = [s for s in self._slots.values() if s.status is status]
        return _linear(slots, need, strategy, self.weights, after)


def _skills_text(skills: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{name}>={level}" for name, level in skills)


def _fits(slot: _Slot, skills: tuple[tuple[str, int], ...], languages: frozenset[str]) -> bool:
    have = slot.skills
    for skill, level in skills:
        if have.get(skill, -1) < level:
            return False
    return not languages or not languages.isdisjoint(slot.languages)


def _float_key(
    strategy: Any, slot: _Slot, anchor: tuple[str, int] | None
) -> tuple[float, float, str] | None:
    """The reference scan's key of ``slot`` (numbers as the strategy defines them, then the agent
    id), or ``None`` if it never ranks; heaps order agents exactly by it."""
    if isinstance(strategy, LeastBusy | LongestIdle):
        return (strategy.primary(slot.load, slot.cap, slot.last, 0), 0.0, slot.id)
    if isinstance(strategy, Weighted):
        weight = strategy.weight(slot.id)
        if weight <= 0:
            return None
        return (slot.load / weight, 0.0, slot.id)
    # MostSkilled: the level in the anchor (primary) skill, then the share of capacity used.
    level = slot.skills.get(anchor[0], 0) if anchor is not None else 0
    return (-level, slot.load / slot.cap if slot.cap else 1.0, slot.id)


def _full_key(
    strategy: BuiltinStrategy, slot: _Slot, need: Need, after: str | None
) -> tuple[Any, ...] | None:
    if isinstance(strategy, RoundRobin):
        return (after is not None and slot.id <= after, slot.id)
    return _float_key(strategy, slot, need.anchor)


def _linear(
    slots: Iterable[_Slot],
    need: Need,
    strategy: BuiltinStrategy,
    weights: ChannelWeights,
    after: str | None,
) -> str | None:
    units = weights._milli(need.channel)
    best: tuple[Any, ...] | None = None
    for slot in slots:
        if need.channel not in slot.channels or not _room(slot, units):
            continue
        if not _qualifies(slot, need):
            continue
        key = _full_key(strategy, slot, need, after)
        if key is not None and (best is None or key < best):
            best = key
    return None if best is None else str(best[-1])
