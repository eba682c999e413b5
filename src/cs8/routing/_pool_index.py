"""The pool's index entries (internal): one agent's live state (:class:`_Slot`), one kind of
work's heap (:class:`_Kind`), the room and qualification checks, and the reference scan that the
heaps must agree with (:func:`_linear`).

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
A :class:`~cs8.routing.KeyStrategy`'s heap holds ``(key, rank)`` tuples and is re-ranked on every
assignment too (its key may drop).
"""

from __future__ import annotations

import heapq
import struct
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any, TypeAlias

from cs8._enums import AgentStatus, Channel
from cs8._models import Agent
from cs8.routing._capacity import (
    _SHARE_BITS,
    _UNIT,
    ChannelWeights,
    Need,
    _ordinal,
    _to_units,
)
from cs8.routing._strategies import (
    BuiltinStrategy,
    KeyStrategy,
    LeastBusy,
    LongestIdle,
    RoundRobin,
    Weighted,
)

_NEG_INF = float("-inf")

_Entry: TypeAlias = int
"""A heap entry: the strategy's key as an integer, shifted left by the pool's rank bits, then the
agent's rank (place in id order). A :class:`KeyStrategy`'s heap holds ``(key, rank)`` tuples."""


class _Kind:
    """One kind of work's heap in a pool, with what ranking it needs, for the decision loop."""

    __slots__ = (
        "bits",
        "channel",
        "heap",
        "key",
        "mask",
        "mode",
        "skill",
        "status",
        "strategy",
        "units",
        "weight",
    )

    def __init__(
        self,
        heap: list[_Entry],
        need: Need,
        strategy: BuiltinStrategy | KeyStrategy,
        status: AgentStatus,
        units: int,
        bits: int,
    ) -> None:
        self.heap = heap
        self.channel = need.channel
        self.strategy = strategy
        self.status = status
        self.units = units
        self.bits = bits
        self.mask = (1 << bits) - 1  # an entry's rank bits
        self.skill = need.primary_skill
        self.weight = strategy.weight if isinstance(strategy, Weighted) else _one
        self.key = strategy.key if isinstance(strategy, KeyStrategy) else None
        if isinstance(strategy, KeyStrategy):
            self.mode = 6  # entries are (key, rank) tuples (see _Entry)
        elif isinstance(strategy, LeastBusy):
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
        if mode == 6:
            return (self.key(AgentNow(slot)), slot.rank)  # type: ignore[misc, return-value]
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


class AgentNow:
    """An agent as it is in a pool now, for a :class:`~cs8.routing.KeyStrategy`'s key: every
    attribute of the :class:`~cs8.Agent`, with ``active_tickets``, ``status`` and
    ``last_assigned_at`` as they are at decision time (internal; built for each key computed).

    Example:
        >>> from cs8 import Agent
        >>> from cs8.routing import AgentPool
        >>> pool = AgentPool([Agent(id="a1", skills={"en": 2})])
        >>> pool.assign("a1", "email")
        >>> now = AgentNow(pool._slots["a1"])
        >>> now.id, now.skills["en"], now.active_tickets
        ('a1', 2, 1.0)
    """

    __slots__ = ("_slot",)

    def __init__(self, slot: _Slot) -> None:
        self._slot = slot

    @property
    def active_tickets(self) -> float:
        """The agent's load now, in units of work."""
        return self._slot.load / _UNIT

    @property
    def status(self) -> AgentStatus:
        """The agent's presence now."""
        return self._slot.status

    @property
    def last_assigned_at(self) -> datetime | None:
        """When the agent was last given work."""
        return self._slot.last_at

    def __getattr__(self, name: str) -> Any:
        return getattr(self._slot.agent, name)


class _Slot:
    """One agent's live state inside a pool."""

    __slots__ = (
        "agent",
        "blocking",
        "blocks",
        "cap",
        "channels",
        "counts",
        "heaps",
        "id",
        "idle",
        "keyed",
        "languages",
        "last",
        "last_at",
        "limits",
        "load",
        "rank",
        "skills",
        "status",
        "tallies",
    )

    def __init__(self, agent: Agent, rank: int, weights: ChannelWeights) -> None:
        self.agent = agent
        self.rank = rank  # place in id order: the tie-break in heap entries
        self.id = agent.id
        # Per-channel limits (pieces of work), or None for one shared capacity in units.
        self.limits: dict[Channel, int] | None = None
        if agent.capacity_by_channel:
            self.limits = dict(agent.capacity_by_channel)
            self.cap = sum(n * weights._piece(c) for c, n in self.limits.items())
        else:
            self.cap = _to_units(agent.capacity)
        self.load = _to_units(agent.active_tickets)
        # Pieces of work held per channel (counted from the pool's assignments), and how many
        # of them are on a blocking channel.
        self.counts: dict[Channel, int] = {}
        self.blocks = 0
        self.blocking = weights.blocking
        self.last_at: datetime | None = agent.last_assigned_at
        self.last = _NEG_INF if self.last_at is None else self.last_at.timestamp()
        self.idle = _ordinal(self.last)  # the longest-idle key
        self.status = agent.status
        self.channels = agent.channels
        self.skills: dict[str, int] = dict(agent.skills)
        self.languages = agent.languages
        # The kinds of work whose heaps this agent is a member of (built lazily by the pool).
        self.heaps: list[_Kind] = []
        self.keyed = False  # a member of a KeyStrategy's heap (re-ranked on every assignment)
        # The tallies this agent is counted in (built lazily by the pool; see _Tally).
        self.tallies: list[_Tally] = []

    def copy(self) -> _Slot:
        new = _Slot.__new__(_Slot)
        for name in _Slot.__slots__:
            setattr(new, name, getattr(self, name))
        new.heaps = []
        new.tallies = []
        new.counts = dict(self.counts)
        return new

    def held(self, channel: Channel, count: int) -> None:
        """Set the pieces of work held on ``channel`` (keeping ``blocks`` in step)."""
        before = self.counts.get(channel, 0)
        if count:
            self.counts[channel] = count
        else:
            self.counts.pop(channel, None)
        if channel in self.blocking:
            self.blocks += count - before


def _room(slot: _Slot, need_units: int, channel: Channel) -> bool:
    """Whether the agent can take one more piece of work on ``channel`` of ``need_units``
    (``-1``: fills): under its per-channel limit or its shared capacity, and not blocked."""
    limits = slot.limits
    if limits is not None:
        if slot.counts.get(channel, 0) >= limits.get(channel, 0):
            return False
    elif need_units < 0:
        if slot.load or not slot.cap:
            return False
    elif slot.load + need_units > slot.cap:
        return False
    if not slot.blocks:
        return True
    held = slot.blocks
    if channel in slot.blocking:
        held -= slot.counts.get(channel, 0)
    return held <= 0


def _qualifies(slot: _Slot, need: Need) -> bool:
    return _fits(slot, need.skills, need.languages)


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
    if isinstance(strategy, KeyStrategy):
        return (strategy.key(AgentNow(slot)), 0.0, slot.id)
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
    strategy: BuiltinStrategy | KeyStrategy, slot: _Slot, need: Need, after: str | None
) -> tuple[Any, ...] | None:
    if isinstance(strategy, RoundRobin):
        return (after is not None and slot.id <= after, slot.id)
    return _float_key(strategy, slot, need.anchor)


def _linear(
    slots: Iterable[_Slot],
    need: Need,
    strategy: BuiltinStrategy | KeyStrategy,
    weights: ChannelWeights,
    after: str | None,
) -> str | None:
    units = weights._milli(need.channel)
    best: tuple[Any, ...] | None = None
    for slot in slots:
        if need.channel not in slot.channels or not _room(slot, units, need.channel):
            continue
        if not _qualifies(slot, need):
            continue
        key = _full_key(strategy, slot, need, after)
        if key is not None and (best is None or key < best):
            best = key
    return None if best is None else str(best[-1])


def filter_labels(need: Need, status: AgentStatus, preferred: bool) -> list[str]:
    """The filters of ``need`` among agents of ``status``, in order, as the trace names them.

    The labels of :meth:`AgentPool.filter_counts` and of a trace's filter-count line (whose
    numbers :meth:`AgentPool.filter_numbers` counts); internal to ``cs8.routing``.

    Example:
        >>> from cs8 import AgentStatus, Channel
        >>> filter_labels(Need(Channel.CHAT, languages={"en"}), AgentStatus.ONLINE, False)
        ['agents', 'status online', 'channel chat', 'spare capacity', 'language en']
    """
    labels = [
        "preferred agents" if preferred else "agents",
        f"status {status.value}",
        f"channel {need.channel.value}",
        "spare capacity",
    ]
    if need.skills:
        labels.append(f"skills {_skills_text(need.skills)}")
    if need.languages:
        labels.append(f"language {'/'.join(sorted(need.languages))}")
    return labels


def _round_robin(
    ids: list[str], slots: Mapping[str, _Slot], need: Need, units: int, after: str | None
) -> tuple[str | None, int]:
    """The first agent after ``after`` in the sorted ``ids`` (of one channel and status) that
    has room and qualifies, and how many were looked at (AgentPool.choose's round robin)."""
    n = len(ids)
    if not n:
        return None, 0
    start = 0 if after is None else bisect_right(ids, after)
    for step in range(n):
        slot = slots[ids[(start + step) % n]]
        if _room(slot, units, need.channel) and _qualifies(slot, need):
            return slot.id, step + 1
    return None, n


def _rebuild(kind: _Kind, by_rank: list[_Slot], bits: int) -> None:
    """Keep one entry per member of ``kind``'s heap still of its status, at its key now (the
    same entries as popping every out-of-date one would leave; room is checked when they
    surface); ``by_rank`` are the pool's slots in id order, ranked in ``bits`` bits."""
    mask = (1 << bits) - 1
    fresh = []
    ranks = {e[1] for e in kind.heap} if kind.mode == 6 else {e & mask for e in kind.heap}  # type: ignore[index]
    for rank in ranks:
        slot = by_rank[rank]
        if slot.status is kind.status:
            entry = kind.entry(slot)
            if entry is not None:
                fresh.append(entry)
    heapq.heapify(fresh)
    kind.heap[:] = fresh


def count_filters(
    slots: list[_Slot],
    need: Need,
    status: AgentStatus,
    among: Iterable[str] | None,
    units: int,
) -> tuple[int, ...]:
    """How many of ``slots`` are left after each filter of :func:`filter_labels`, by one pass
    (the reference that :class:`_Tally` must agree with; preferred agents are counted by it)."""
    numbers: list[int] = []
    if among is not None:
        wanted = set(among)
        slots = [s for s in slots if s.id in wanted]
    numbers.append(len(slots))
    slots = [s for s in slots if s.status is status]
    numbers.append(len(slots))
    slots = [s for s in slots if need.channel in s.channels]
    numbers.append(len(slots))
    slots = [s for s in slots if _room(s, units, need.channel)]
    numbers.append(len(slots))
    if need.skills:
        for skill, level in need.skills:
            slots = [s for s in slots if s.skills.get(skill, -1) >= level]
        numbers.append(len(slots))
    if need.languages:
        langs = need.languages
        slots = [s for s in slots if not langs.isdisjoint(s.languages)]
        numbers.append(len(slots))
    return tuple(numbers)


class _Tally:
    """How many agents of one status working one channel have room, and of those how many have
    the skills, and then a language, one kind of work needs; kept up to date as loads and
    statuses change, so the router's trace counts its filters without a pass over the agents.

    Per member, by rank: ``passes`` is 0 (not the skills), 1 (the skills, not a language) or 2
    (both), and ``room`` whether it had room when last counted (byte arrays: nothing for the
    garbage collector to walk). A member slot lists the tally in ``slot.tallies``;
    :func:`_retally` recounts one slot after its load or held work changed.
    """

    __slots__ = ("channel", "counts", "languages", "passes", "room", "skills", "status", "units")

    def __init__(self, need: Need, status: AgentStatus, units: int, size: int) -> None:
        self.channel = need.channel
        self.skills = need.skills
        self.languages = need.languages
        self.status = status
        self.units = units
        self.counts = [0, 0, 0]  # with room; and the skills; and a language
        self.passes = bytearray(size)
        self.room = bytearray(size)

    def join(self, slot: _Slot) -> None:
        """Count ``slot`` (of this status, working this channel)."""
        skilled = _fits(slot, self.skills, frozenset())
        self.passes[slot.rank] = (2 if _fits(slot, (), self.languages) else 1) if skilled else 0
        self.room[slot.rank] = 0
        slot.tallies.append(self)
        _recount(slot, self)


_TallyKey: TypeAlias = tuple[Channel, AgentStatus, "tuple[tuple[str, int], ...]", frozenset[str]]
"""(channel, status, required skills with minimum levels, accepted languages)."""


def _tallied(
    tallies: dict[_TallyKey, _Tally],
    slots: Mapping[str, _Slot],
    by_status: Mapping[AgentStatus, AbstractSet[str]],
    ids: Mapping[tuple[Channel, AgentStatus], list[str]],
    need: Need,
    status: AgentStatus,
    units: int,
) -> tuple[int, ...]:
    """What :func:`count_filters` counts over every slot of a pool, from its tallies (the
    tally of ``need`` and ``status`` is built on first use, one pass over the members); the
    pool's ``ids`` are its sorted ids by channel and status."""
    channel = need.channel
    members = ids.get((channel, status), ())
    key = (channel, status, need.skills, need.languages)
    tally = tallies.get(key)
    if tally is None:
        tally = tallies[key] = _Tally(need, status, units, len(slots))
        for agent_id in members:
            tally.join(slots[agent_id])
    room, skilled, spoken = tally.counts
    numbers = [len(slots), len(by_status.get(status, ())), len(members), room]
    if need.skills:
        numbers.append(skilled)
    if need.languages:
        numbers.append(spoken)
    return tuple(numbers)


def _recount(slot: _Slot, tally: _Tally) -> None:
    rank = slot.rank
    room = 1 if _room(slot, tally.units, tally.channel) else 0
    if room != tally.room[rank]:
        tally.room[rank] = room
        step = 1 if room else -1
        counts = tally.counts
        counts[0] += step
        passes = tally.passes[rank]
        if passes:
            counts[1] += step
            if passes == 2:
                counts[2] += step


def _retally(slot: _Slot) -> None:
    """Recount ``slot`` in the tallies it belongs to (its load or held work changed)."""
    for tally in slot.tallies:
        _recount(slot, tally)


def _untally(slot: _Slot) -> None:
    """Take ``slot`` out of its tallies (its status changes; the pool counts it again after)."""
    rank = slot.rank
    for tally in slot.tallies:
        if tally.room[rank]:
            tally.room[rank] = 0
            counts = tally.counts
            counts[0] -= 1
            passes = tally.passes[rank]
            if passes:
                counts[1] -= 1
                if passes == 2:
                    counts[2] -= 1
    slot.tallies = []


def _static_set(
    static: dict[tuple[str, object, int], frozenset[str]],
    slots: Mapping[str, _Slot],
    kind: str,
    value: object,
    level: int = 0,
) -> frozenset[str]:
    """The ids of the agents with a channel, a skill at ``level`` or a language (kept in
    ``static``, which the pool replaces when its roster changes)."""
    key = (kind, value, level)
    found = static.get(key)
    if found is None:
        if kind == "channel":
            found = frozenset(s.id for s in slots.values() if value in s.channels)
        elif kind == "skill":
            found = frozenset(s.id for s in slots.values() if s.skills.get(str(value), -1) >= level)
        else:
            found = frozenset(s.id for s in slots.values() if value in s.languages)
        static[key] = found
    return found


def _members(
    static: dict[tuple[str, object, int], frozenset[str]],
    slots: Mapping[str, _Slot],
    of_status: AbstractSet[str],
    need: Need,
) -> list[str]:
    """Ids of the agents in ``of_status`` that qualify for ``need`` (room aside), by set algebra."""
    sets: list[AbstractSet[str]] = [of_status, _static_set(static, slots, "channel", need.channel)]
    sets.extend(_static_set(static, slots, "skill", skill, lv) for skill, lv in need.skills)
    if need.languages:
        speakers: set[str] = set()
        for language in need.languages:
            speakers |= _static_set(static, slots, "language", language)
        sets.append(speakers)
    sets.sort(key=len)
    members = set(sets[0]).intersection(*sets[1:])
    return sorted(members)


_heappop = heapq.heappop
_heapreplace = heapq.heapreplace
_pack_double = struct.Struct(">d").pack
_from_bytes = int.from_bytes


def serve_heap(kind: _Kind, by_rank: list[_Slot]) -> tuple[_Slot | None, int]:
    """The agent at the top of a built-in strategy's heap with room for the work of ``kind``,
    and how many agents were looked at (``AgentPool.choose``'s and ``AgentPool.take``'s walk;
    the agent found is not given the work here). Entries found out of date on the way are moved
    or dropped: an agent of another status or without room is popped (pushed again when it
    changes back), an entry whose key grew is moved down.

    ``by_rank`` are the pool's slots in id order (an entry's low bits are the agent's rank).
    """
    heap = kind.heap
    units = kind.units
    channel = kind.channel
    status = kind.status
    mode = kind.mode
    bits = kind.bits
    mask = kind.mask
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
        if (
            ((load or not cap) if units < 0 else load + units > cap)
            if slot.limits is None and not slot.blocks
            else not _room(slot, units, channel)
        ):
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
            return slot, looked + 1
        if entry > now or entry == moved:
            _heappop(heap)  # a fresher entry (pushed when the key dropped) or a twin is below
            continue
        looked += 1
        moved = entry
        _heapreplace(heap, now)  # its key grew: move down
    return None, looked


def serve_keyed(kind: _Kind, by_rank: list[_Slot]) -> tuple[_Slot | None, int]:
    """:func:`serve_heap` for a :class:`KeyStrategy`'s heap of ``(key, rank)`` entries: the
    same walk, each agent's key computed by the plugin before the heap is changed (a key that
    raises leaves the heap as it was); the agent found is not given the work here."""
    heap: list[Any] = kind.heap
    units = kind.units
    channel = kind.channel
    status = kind.status
    key = kind.key
    assert key is not None  # a keyed kind has its key function
    looked = 0
    moved = None
    while heap:
        entry = heap[0]
        slot = by_rank[entry[1]]
        if slot.status is not status:
            heapq.heappop(heap)
            continue
        if not _room(slot, units, channel):
            looked += 1
            heapq.heappop(heap)
            continue
        now = (key(AgentNow(slot)), slot.rank)
        if entry == now:
            return slot, looked + 1
        if entry > now or entry == moved:
            heapq.heappop(heap)  # a fresher entry is below, or a twin of the one just moved
            continue
        looked += 1
        moved = entry
        heapq.heapreplace(heap, now)  # its key grew: move down
    return None, looked


def _build_kind(
    need: Need,
    strategy: BuiltinStrategy | KeyStrategy,
    status: AgentStatus,
    units: int,
    bits: int,
    members: Iterable[_Slot],
) -> _Kind:
    """A new kind of work's heap of ``members`` (the agents that qualify for it)."""
    kind = _Kind([], need, strategy, status, units, bits)
    keyed = kind.mode == 6
    # Every entry first: a plugin's key that raises leaves no half-built heap behind.
    entries = [(slot, kind.entry(slot)) for slot in members]
    for slot, entry in entries:
        if entry is not None:
            kind.heap.append(entry)
            slot.heaps.append(kind)
            slot.keyed = slot.keyed or keyed
    heapq.heapify(kind.heap)
    return kind
