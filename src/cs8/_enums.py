"""Enumerations of the domain model.

Every member's value is its lowercase name, and every enum accepts its member names in any case, so
files and JSON can say ``"phone"``, ``"PHONE"`` or ``"Phone"``.

Example:
    >>> Channel("PHONE") is Channel.PHONE
    True
    >>> Priority.LOW < Priority.URGENT
    True
"""

from __future__ import annotations

import enum
from typing import Any, Self

__all__ = [
    "ActorKind",
    "AgentStatus",
    "Channel",
    "CustomerSegment",
    "Direction",
    "Priority",
    "SurveyKind",
    "TicketStatus",
]


def enum_key(value: str) -> str:
    """The one normal form of enum text cs8 reads: stripped, lower case, ``-`` and spaces as ``_``.

    The enums, the loaders, the rule compiler and the dataframe paths all read enum text through
    it (the engine fold writes the same rule as an expression).

    Example:
        >>> enum_key(" Status-Change "), enum_key("On Hold")
        ('status_change', 'on_hold')
    """
    return value.strip().lower().replace("-", "_").replace(" ", "_")


class _LowerEnum(enum.Enum):
    """An enum whose values are lowercase names and which accepts names in any case."""

    # Members are singletons compared by identity: hash them by identity too (C speed, where
    # Enum's own __hash__ is a Python-level call; routing hashes members on every decision).
    __hash__ = object.__hash__

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if isinstance(value, str):
            key = enum_key(value)
            for member in cls:
                if member.value == key:
                    return member
        return None

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


class Channel(_LowerEnum):
    """A way customers and the business reach each other.

    ``OTHER`` stands for a channel cs8 has no member for (Zendesk's ``api``, a vendor's own
    integration); the model keeps the source's own name in ``channel_raw``.

    Example:
        >>> Channel("in_person")
        Channel.IN_PERSON
    """

    EMAIL = "email"
    CHAT = "chat"
    PHONE = "phone"
    SOCIAL = "social"
    MESSAGING = "messaging"
    WEB = "web"
    IN_PERSON = "in_person"
    SELF_SERVICE = "self_service"
    SMS = "sms"
    OTHER = "other"


_PRIORITY_RANK: dict[str, int] = {"low": 0, "normal": 1, "high": 2, "urgent": 3}


class Priority(_LowerEnum):
    """Ticket priority, ordered ``LOW < NORMAL < HIGH < URGENT``.

    Example:
        >>> max([Priority.HIGH, Priority.LOW, Priority.URGENT])
        Priority.URGENT
        >>> Priority.NORMAL.rank
        1
    """

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """The position of this priority, 0 for ``LOW`` to 3 for ``URGENT``."""
        return _PRIORITY_RANK[self.value]

    @classmethod
    def from_rank(cls, rank: int) -> Priority:
        """Return the priority at ``rank``, clamped to ``LOW``..``URGENT``.

        Example:
            >>> Priority.from_rank(7)
            Priority.URGENT
        """
        return _BY_RANK[max(0, min(3, rank))]

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: Any) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: Any) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: Any) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank >= other.rank

    __hash__ = object.__hash__


_BY_RANK: tuple[Priority, ...] = (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT)


class TicketStatus(_LowerEnum):
    """The status of a ticket. ``NEW``, ``OPEN``, ``PENDING`` and ``ON_HOLD`` are open statuses.

    Example:
        >>> TicketStatus.PENDING.is_open, TicketStatus.SOLVED.is_open
        (True, False)
    """

    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    ON_HOLD = "on_hold"
    SOLVED = "solved"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        """Whether the ticket still needs work (not ``SOLVED`` nor ``CLOSED``)."""
        return self is not TicketStatus.SOLVED and self is not TicketStatus.CLOSED


class CustomerSegment(_LowerEnum):
    """How valuable or engaged a customer is.

    Example:
        >>> CustomerSegment("VIP").value
        'vip'
    """

    VIP = "vip"
    REPEAT = "repeat"
    ONE_TIME = "one_time"
    PROSPECT = "prospect"


class ActorKind(_LowerEnum):
    """Who did something: the customer, an agent, a bot or the system.

    Example:
        >>> ActorKind("bot")
        ActorKind.BOT
    """

    CUSTOMER = "customer"
    AGENT = "agent"
    BOT = "bot"
    SYSTEM = "system"


class AgentStatus(_LowerEnum):
    """An agent's presence.

    Example:
        >>> AgentStatus("online")
        AgentStatus.ONLINE
    """

    ONLINE = "online"
    AWAY = "away"
    BUSY = "busy"
    OFFLINE = "offline"


class Direction(_LowerEnum):
    """Whether a contact came in from the customer or went out to them.

    Example:
        >>> Direction("OUTBOUND")
        Direction.OUTBOUND
    """

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class SurveyKind(_LowerEnum):
    """The survey instrument a response answers.

    Example:
        >>> SurveyKind("nps").default_scale
        (0, 10)
    """

    CSAT = "csat"
    NPS = "nps"
    CES = "ces"

    @property
    def default_scale(self) -> tuple[int, int]:
        """The lowest and highest score of this instrument's default scale."""
        return _DEFAULT_SCALES[self.value]


_DEFAULT_SCALES: dict[str, tuple[int, int]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
