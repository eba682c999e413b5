"""Capacity: how much of an agent one piece of work takes on each channel (:class:`ChannelWeights`,
with channels that fill or block an agent), and what a piece of work needs (:class:`Need`).

Capacity is counted in thousandths of a unit, so channel weights such as 0.5 or 1/3 add up
exactly (1/3 counts as 0.333).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping

import attrs

from cs8._enums import Channel
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError

__all__ = ["ChannelWeights", "Need"]

_UNIT = 1000
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
        raise InvalidValueError(f"ChannelWeights has an unknown channel: {exc}") from None


@attrs.frozen(kw_only=True)
class ChannelWeights:
    """How much of an agent's capacity one piece of work on each channel takes.

    Capacity (``Agent.capacity``) counts units of work. An email takes one unit unless
    ``weights`` says otherwise; a chat may take a fraction (``{"chat": 0.5}`` lets an agent of
    capacity 2 hold four chats). A channel in ``fills`` takes the whole agent: it goes only to an
    agent holding nothing, and fills it.

    An agent with ``Agent.capacity_by_channel`` has a limit per channel instead (Zendesk's
    capacity rules: talk 1, messaging 3, email 10): it takes work on a channel while it holds fewer
    pieces there than the limit, and ``fills`` does not apply to it; its load (what least-busy
    strategies rank) still adds up the ``weights`` of what it holds.

    A channel in ``blocking`` blocks new work on every other channel while the agent holds a piece
    of it (Zendesk's blocking channels: an agent on a call gets no chats or emails); it applies to
    every agent.

    Args:
        weights: Channel to units per piece of work (at least 0.001).
        default: Units for a channel not in ``weights``.
        fills: Channels where one piece of work fills the agent (agents with a single capacity).
        blocking: Channels whose work in progress blocks work on other channels.

    Example:
        >>> cw = ChannelWeights(weights={"chat": 0.5})
        >>> cw.units(Channel.CHAT, capacity=4), cw.units(Channel.EMAIL, 4), cw.units(Channel.PHONE, 4)
        (0.5, 1.0, 4.0)
        >>> sorted(c.value for c in ChannelWeights(fills=(), blocking={"phone"}).blocking)
        ['phone']
    """

    weights: FrozenDict[Channel, float] = attrs.field(factory=FrozenDict, converter=_channel_map)
    default: float = 1.0
    fills: frozenset[Channel] = attrs.field(
        factory=lambda: frozenset({Channel.PHONE}), converter=_channel_set
    )
    blocking: frozenset[Channel] = attrs.field(factory=frozenset, converter=_channel_set)

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

    def _piece(self, channel: Channel) -> int:
        """Units in thousandths of one piece of work, ``fills`` aside (per-channel agents)."""
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
