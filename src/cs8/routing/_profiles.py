"""Routing profiles: Amazon Connect's per-queue priority and delay, for tiered overflow.

A :class:`RoutingProfile` lists the queues its agents take work from, each as a
:class:`ProfileQueue` with a priority (1 to 99, lower first) and a delay (0 to 9,999 seconds a
ticket must have been in the queue before the profile's agents see it). The ranges are Connect's
``RoutingProfileQueueConfig`` (https://docs.aws.amazon.com/connect/latest/APIReference/API_RoutingProfileQueueConfig.html);
the meaning is Connect's "Queue priority and delay examples"
(https://docs.aws.amazon.com/connect/latest/adminguide/concepts-routing-profiles-priority.html).
Profiles are part of a :class:`~cs8.routing.RuleSet` (``"profiles"`` in a rule document); with
any, :meth:`cs8.routing.Router.assign` lets agents pull work through them.

Example:
    >>> sales = RoutingProfile(name="sales", teams={"sales"}, queues=[
    ...     ProfileQueue(queue="sales", priority=1),
    ...     ProfileQueue(queue="support", priority=2)])
    >>> [(q.queue, q.priority, q.delay) for q in sales.queues]
    [('sales', 1, 0), ('support', 2, 0)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from cs8.exceptions import InvalidValueError

__all__ = ["ProfileQueue", "RoutingProfile"]

PRIORITY_RANGE = (1, 99)
"""Connect's range of a queue's priority in a routing profile (lower is served first)."""
DELAY_RANGE = (0, 9999)
"""Connect's range of a queue's delay in a routing profile, in seconds."""


def _bounded(field: str, low: int, high: int) -> Any:
    def check(instance: ProfileQueue, attribute: Any, value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise InvalidValueError(
                f"ProfileQueue {instance.queue!r}: {field} must be an integer in {low}..{high}, "
                f"got {value!r}"
            )

    return check


def _queue_name(instance: object, attribute: Any, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(f"ProfileQueue.queue must be a non-empty string, got {value!r}")


@attrs.frozen(kw_only=True)
class ProfileQueue:
    """One queue of a routing profile: its priority and delay for the profile's agents.

    Args:
        queue: The queue's name, as rules and escalation steps set it (``RuleActions.queue``).
        priority: 1 to 99; the profile's agents take work from the lowest number first.
        delay: Seconds (0 to 9,999) a ticket must have been in this queue before the profile's
            agents may take it from it ("the delay, in seconds, a contact should be in the
            queue", Connect's API reference), counted from the instant it entered the queue:
            the escalation step that moved it there, else its creation, or the caller's
            ``Router.assign(queued_at=...)``.

    Raises:
        InvalidValueError: For an empty queue name, a priority outside 1..99 or a delay
            outside 0..9999 (the message names the queue, the field and the value).

    Example:
        >>> ProfileQueue(queue="support", priority=1, delay=30).delay
        30
        >>> ProfileQueue(queue="support", priority=0)
        Traceback (most recent call last):
        ...
        cs8.exceptions.InvalidValueError: ProfileQueue 'support': priority must be an integer in 1..99, got 0
    """

    queue: str = attrs.field(validator=_queue_name)
    priority: int = attrs.field(default=1, validator=_bounded("priority", *PRIORITY_RANGE))
    delay: int = attrs.field(default=0, validator=_bounded("delay", *DELAY_RANGE))


def _queues(value: Iterable[ProfileQueue]) -> tuple[ProfileQueue, ...]:
    return tuple(value)


def _names(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        raise InvalidValueError(f"expected a collection of names, got the string {value!r}")
    return frozenset(value)


@attrs.frozen(kw_only=True)
class RoutingProfile:
    """The queues a group of agents takes work from, each with a priority and a delay.

    When one of the profile's agents can take work, its next ticket is the one longest in its
    queue that has been there at least the queue's delay, from the profile's lowest-numbered
    priority that has one it can take (queues of one priority are one tier: the ticket longest
    in its queue first); the router's rules (agent filters, preferred agents, ``order_by``,
    strategy) choose among the agents whose next ticket it is. Priority
    orders the queues of one profile only: two profiles do not compete by their numbers.

    Args:
        name: The profile's name (unique in a rule set).
        queues: The profile's queues; a queue appears at most once.
        agents: Ids of the agents who work this profile.
        teams: Teams (``Agent.team``) whose agents work this profile; an agent listed by id
            in another profile works that one.

    Raises:
        InvalidValueError: For an empty name, no queues, a queue listed twice, or an entry
            that is not a :class:`ProfileQueue` (the message names the profile).

    Example:
        >>> profile = RoutingProfile(name="support", agents={"a1"},
        ...                          queues=[ProfileQueue(queue="support", priority=1)])
        >>> profile.tiers()
        ((ProfileQueue(queue='support', priority=1, delay=0),),)
    """

    name: str = attrs.field()
    queues: tuple[ProfileQueue, ...] = attrs.field(converter=_queues)
    agents: frozenset[str] = attrs.field(factory=frozenset, converter=_names)
    teams: frozenset[str] = attrs.field(factory=frozenset, converter=_names)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidValueError(
                f"RoutingProfile.name must be a non-empty string, got {self.name!r}"
            )
        if not self.queues:
            raise InvalidValueError(f"RoutingProfile {self.name!r}: queues must not be empty")
        seen: set[str] = set()
        for i, entry in enumerate(self.queues):
            if not isinstance(entry, ProfileQueue):
                raise InvalidValueError(
                    f"RoutingProfile {self.name!r}: queues[{i}] must be a ProfileQueue, got {entry!r}"
                )
            if entry.queue in seen:
                raise InvalidValueError(
                    f"RoutingProfile {self.name!r}: queues[{i}].queue {entry.queue!r} is listed twice"
                )
            seen.add(entry.queue)

    def tiers(self) -> tuple[tuple[ProfileQueue, ...], ...]:
        """Return the profile's queues grouped by priority, lowest number first.

        Example:
            >>> p = RoutingProfile(name="p", queues=[ProfileQueue(queue="b", priority=2),
            ...     ProfileQueue(queue="a", priority=1), ProfileQueue(queue="c", priority=2)])
            >>> [[q.queue for q in tier] for tier in p.tiers()]
            [['a'], ['b', 'c']]
        """
        numbers = sorted({q.priority for q in self.queues})
        return tuple(tuple(q for q in self.queues if q.priority == n) for n in numbers)
