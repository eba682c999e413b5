"""The pool's index entries (internal): one agent's live state (:class:`_Slot`), one kind of
work's heap (:class:`_Kind`), the room and qualification checks, and the reference scan that the
heaps must agree with (:func:`_linear`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any, TypeAlias

from cs8._enums import AgentStatus, Channel
from cs8._models import Agent
from cs8.routing._capacity import (
    _SHARE_BITS,
    ChannelWeights,
    Need,
    _ordinal,
    _to_units,
)
from cs8.routing._strategies import (
    BuiltinStrategy,
    LeastBusy,
    LongestIdle,
    RoundRobin,
    Weighted,
)

_NEG_INF = float("-inf")

_Entry: TypeAlias = int
"""A heap entry: the strategy's key as an integer, shifted left by the pool's rank bits, then the
agent's rank (place in id order)."""


class _Kind:
    """One kind of work's heap in a pool, with what ranking it needs, for the decision loop."""

    __slots__ = (
        "bits",
        "channel",
        "heap",
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
        strategy: BuiltinStrategy,
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
        "blocking",
        "blocks",
        "cap",
        "channels",
        "counts",
        "heaps",
        "id",
        "idle",
        "languages",
        "last",
        "last_at",
        "limits",
        "load",
        "rank",
        "skills",
        "status",
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

    def copy(self) -> _Slot:
        new = _Slot.__new__(_Slot)
        for name in _Slot.__slots__:
            setattr(new, name, getattr(self, name))
        new.heaps = []
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
        if need.channel not in slot.channels or not _room(slot, units, need.channel):
            continue
        if not _qualifies(slot, need):
            continue
        key = _full_key(strategy, slot, need, after)
        if key is not None and (best is None or key < best):
            best = key
    return None if best is None else str(best[-1])


def _filter_counts(
    slots: list[_Slot],
    need: Need,
    status: AgentStatus,
    among: Iterable[str] | None,
    units: int,
) -> tuple[tuple[str, int], ...]:
    """How many of ``slots`` are left after each filter, in order (AgentPool.filter_counts)."""
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
    slots = [s for s in slots if _room(s, units, need.channel)]
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
