"""Bot KPIs with explicit denominators: containment, deflection, handoff and resolution rates.

Vendors count "the bot handled it" differently, and the figures differ by a factor of two on the
same data. Each function here states its numerator and denominator, and :class:`BotDefinition`
names the three choices that matter:

- ``denominator``: ``"bot_handled"`` (conversations a bot took) or ``"all"`` (every conversation).
- ``window``: after the bot session ends, how long the customer must not come back.
- ``followup``: what coming back means: ``"human"`` (a contact handled by a person, the usual
  containment definition) or ``"any"`` (any further contact: Zendesk's inactivity).

Presets: :data:`CHATWOOT_BOT_RESOLUTION` (Chatwoot's bot resolution rate: bot resolutions over all
conversations, no waiting window), :data:`ZENDESK_AUTOMATED_RESOLUTION` (Zendesk's automated
resolution: an AI-agent conversation not escalated and followed by 72 hours of inactivity), and
:func:`repeat_contact` (no new contact of any kind within a window, e.g. 7 days).

A *conversation* is an interaction that continues none (``previous_id`` unset or unknown) with the
interactions that continue it (``previous_id`` chains). It is *bot-handled* when its first
interaction is handled by a bot, and *handed off* when a later one in the chain is handled by a
person. Every result is a :class:`cs8.kpi.Rate` with a Wilson interval; conversations that cannot be
decided yet are excluded and counted by reason: ``still_open`` (the bot session has not ended) and
``window_open`` (its window has not elapsed by ``now``).

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Interaction
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    >>> m = timedelta(minutes=1)
    >>> talks = [
    ...     Interaction(id="b1", customer_id="C1", channel="chat", started_at=t0,
    ...                 answered_at=t0, ended_at=t0 + 5 * m, handled_by="bot"),
    ...     Interaction(id="b2", customer_id="C2", channel="chat", started_at=t0,
    ...                 answered_at=t0, ended_at=t0 + 3 * m, handled_by="bot"),
    ...     Interaction(id="h2", customer_id="C2", channel="chat", started_at=t0 + 3 * m,
    ...                 previous_id="b2", agent_id="a1"),
    ... ]
    >>> rate = bot_containment(talks, now=t0 + timedelta(days=4))
    >>> rate.successes, rate.n
    (1, 2)
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

import attrs

from cs8._enums import ActorKind
from cs8._models import Interaction
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError
from cs8.kpi import Rate, RateState

__all__ = [
    "CHATWOOT_BOT_RESOLUTION",
    "ZENDESK_AUTOMATED_RESOLUTION",
    "BotDefinition",
    "bot_containment",
    "bot_deflection",
    "bot_handoff_rate",
    "bot_resolution_rate",
    "repeat_contact",
]

Denominator = Literal["bot_handled", "all"]
Followup = Literal["human", "any"]


def _check_window(instance: object, attribute: object, value: timedelta) -> None:
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise InvalidValueError(f"BotDefinition.window must be a timedelta >= 0, got {value!r}")


def _check_choice(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    allowed = ("bot_handled", "all") if attribute.name == "denominator" else ("human", "any")
    if value not in allowed:
        raise InvalidValueError(
            f"BotDefinition.{attribute.name} must be one of {', '.join(allowed)}, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class BotDefinition:
    """When a bot conversation counts as contained, and over which conversations.

    Args:
        window: How long after the bot session ends the customer must not come back.
        denominator: ``"bot_handled"`` or ``"all"`` conversations.
        followup: ``"human"``: a contact handled by a person breaks containment; ``"any"``: any
            further contact does (inactivity).
        name: A label for reports.

    Example:
        >>> ZENDESK_AUTOMATED_RESOLUTION.window
        datetime.timedelta(days=3)
    """

    window: timedelta = attrs.field(default=timedelta(hours=72), validator=_check_window)
    denominator: Denominator = attrs.field(default="bot_handled", validator=_check_choice)
    followup: Followup = attrs.field(default="human", validator=_check_choice)
    name: str = "containment"


CHATWOOT_BOT_RESOLUTION = BotDefinition(
    window=timedelta(0), denominator="all", followup="human", name="chatwoot bot resolution"
)
"""Chatwoot's bot resolution rate: conversations the bot resolved without a handoff, over all
conversations (Chatwoot reports, ``bot_resolutions_count`` / conversations count; no window)."""

ZENDESK_AUTOMATED_RESOLUTION = BotDefinition(
    window=timedelta(hours=72),
    denominator="bot_handled",
    followup="any",
    name="zendesk automated resolution",
)
"""Zendesk's automated resolution: an AI-agent conversation not escalated to a person and followed
by 72 hours without activity, over the AI-agent conversations."""


def repeat_contact(window: timedelta = timedelta(days=7)) -> BotDefinition:
    """Return the definition "no new contact of any kind within ``window``", over bot conversations.

    Example:
        >>> repeat_contact(timedelta(days=7)).name
        'no repeat contact within 7 days, 0:00:00'
    """
    return BotDefinition(
        window=window,
        denominator="bot_handled",
        followup="any",
        name=f"no repeat contact within {window}",
    )


@attrs.frozen
class _Conversation:
    root: Interaction
    last: Interaction
    handed_off: bool


def _conversations(data: list[Interaction]) -> list[_Conversation]:
    by_id = {i.id: i for i in data}
    children: dict[str, list[Interaction]] = {}
    roots: list[Interaction] = []
    for item in data:
        if item.previous_id is not None and item.previous_id in by_id:
            children.setdefault(item.previous_id, []).append(item)
        else:
            roots.append(item)
    out: list[_Conversation] = []
    bot = ActorKind.BOT
    for root in roots:
        handed_off = False
        last = root
        stack = list(children.get(root.id, ()))
        seen = {root.id}
        while stack:
            item = stack.pop()
            if item.id in seen:
                continue
            seen.add(item.id)
            if item.handled_by is not bot:
                handed_off = True
            if item.started_at >= last.started_at:
                last = item
            stack.extend(children.get(item.id, ()))
        out.append(_Conversation(root=root, last=last, handed_off=handed_off))
    return out


def _checked(interactions: Iterable[Interaction]) -> list[Interaction]:
    data = list(interactions)
    for index, item in enumerate(data):
        if not isinstance(item, Interaction):
            raise InvalidValueError(f"interactions[{index}] must be an Interaction, got {item!r}")
    return data


def _cutoff(data: Iterable[Interaction], now: datetime | None) -> datetime | None:
    """``now``, else the latest start or end in ``data`` (the default instant of the KPIs)."""
    if now is not None:
        return require_aware(now, "bot KPI now")
    instants = [t for i in data for t in (i.started_at, i.ended_at) if t is not None]
    return max(instants) if instants else None


def _count(
    interactions: Iterable[Interaction],
    definition: BotDefinition,
    now: datetime | None,
    confidence: float,
    *,
    use_window: bool = True,
) -> Rate:
    data = _checked(interactions)
    state = containment_state(data, definition, _cutoff(data, now), use_window=use_window)
    return state.result(confidence=confidence)


def containment_state(
    interactions: Iterable[Interaction],
    definition: BotDefinition,
    cutoff: datetime | None,
    *,
    use_window: bool = True,
) -> RateState:
    """The mergeable counts of :func:`bot_containment` on ``interactions`` at ``cutoff``.

    States of disjoint sets of contacts add up to the state of their union when no contact of
    one names a contact of another as ``previous_id`` and each customer's contacts are in one
    set (a conversation and its customer's follow-ups are then whole in one set).

    Example:
        >>> containment_state([], BotDefinition(), None).n
        0
    """
    data = _checked(interactions)
    # Contacts per customer, by start time, for the follow-up search.
    starts: dict[str, list[tuple[datetime, bool]]] = {}
    bot = ActorKind.BOT
    for item in data:
        starts.setdefault(item.customer_id, []).append((item.started_at, item.handled_by is bot))
    for rows in starts.values():
        rows.sort()
    contained = n = 0
    still_open = window_open = 0
    for conv in _conversations(data):
        is_bot = conv.root.handled_by is bot
        if not is_bot:
            if definition.denominator == "all":
                n += 1
            continue
        if conv.handed_off:
            n += 1
            continue
        end = conv.last.ended_at
        if end is None:
            still_open += 1
            continue
        window = definition.window if use_window else timedelta(0)
        if window and (cutoff is None or end + window > cutoff):
            window_open += 1
            continue
        n += 1
        rows = starts[conv.root.customer_id]
        lo = bisect.bisect_right(rows, (end, True))
        hi = bisect.bisect_right(rows, (end + window, True))
        came_back = any(definition.followup == "any" or not by_bot for _, by_bot in rows[lo:hi])
        if not (window and came_back):
            contained += 1
    excluded = {}
    if still_open:
        excluded["still_open"] = still_open
    if window_open:
        excluded["window_open"] = window_open
    return RateState(successes=contained, n=n, excluded=excluded)


def bot_containment(
    interactions: Iterable[Interaction],
    window: timedelta = timedelta(hours=72),
    denominator: Denominator = "bot_handled",
    *,
    followup: Followup = "human",
    definition: BotDefinition | None = None,
    now: datetime | None = None,
    confidence: float = 0.95,
) -> Rate:
    """Return the share of conversations a bot contained: ended without a handoff, no comeback.

    Numerator: bot-handled conversations that ended, were not handed to a person, and after
    which the customer had no contact within ``window`` (a contact with a person, or with
    ``followup="any"`` any contact, starting after the end and at most ``window`` later).
    Denominator: the bot-handled conversations (``"bot_handled"``) or all conversations
    (``"all"``) that can be decided, i.e. excluding bot conversations still open or whose window
    has not elapsed by ``now``.

    Args:
        interactions: Contacts of any kind; bot sessions have ``handled_by="bot"``, a handoff is
            a contact whose ``previous_id`` names the bot session.
        window: How long the customer must not come back.
        denominator: ``"bot_handled"`` or ``"all"``.
        followup: ``"human"`` or ``"any"``.
        definition: A preset (:data:`ZENDESK_AUTOMATED_RESOLUTION`, ...); overrides the three
            arguments above.
        now: The instant of the report; defaults to the latest start or end in the data.
        confidence: The Wilson interval's confidence.

    Raises:
        InvalidValueError: If a choice is unknown or an item is not an Interaction.
        NaiveDatetimeError: If ``now`` has no time zone.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> bot = Interaction(id="b", customer_id="C", channel="chat", started_at=t0,
        ...                   answered_at=t0, ended_at=t0, handled_by="bot")
        >>> bot_containment([bot], now=t0 + timedelta(hours=71)).excluded
        FrozenDict({'window_open': 1})
    """
    if definition is None:
        definition = BotDefinition(window=window, denominator=denominator, followup=followup)
    return _count(interactions, definition, now, confidence)


def bot_deflection(
    interactions: Iterable[Interaction],
    window: timedelta = timedelta(hours=72),
    *,
    now: datetime | None = None,
    confidence: float = 0.95,
) -> Rate:
    """Return the share of all conversations that never reached a person (self-service).

    Numerator: bot-handled conversations not handed off and not followed by any contact within
    ``window``. Denominator: all decidable conversations. It is :func:`bot_containment` with
    ``denominator="all"`` and ``followup="any"``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> bot = Interaction(id="b", customer_id="C", channel="chat", started_at=t0,
        ...                   answered_at=t0, ended_at=t0, handled_by="bot")
        >>> call = Interaction(id="p", customer_id="D", channel="phone", started_at=t0)
        >>> bot_deflection([bot, call], now=t0 + timedelta(days=3)).value
        0.5
    """
    definition = BotDefinition(window=window, denominator="all", followup="any", name="deflection")
    return _count(interactions, definition, now, confidence)


def bot_handoff_rate(interactions: Iterable[Interaction], *, confidence: float = 0.95) -> Rate:
    """Return the share of bot-handled conversations handed over to a person.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> bot = Interaction(id="b", customer_id="C", channel="chat", started_at=t0,
        ...                   handled_by="bot")
        >>> human = Interaction(id="h", customer_id="C", channel="chat", started_at=t0,
        ...                     previous_id="b")
        >>> bot_handoff_rate([bot, human]).value
        1.0
    """
    data = list(interactions)
    bot = [c for c in _conversations(data) if c.root.handled_by is ActorKind.BOT]
    return Rate.of(sum(c.handed_off for c in bot), len(bot), confidence=confidence)


def bot_resolution_rate(
    interactions: Iterable[Interaction],
    denominator: Denominator = "bot_handled",
    *,
    confidence: float = 0.95,
) -> Rate:
    """Return the share of conversations the bot resolved: ended with no handoff (no window).

    With ``denominator="all"`` this is Chatwoot's bot resolution rate
    (:data:`CHATWOOT_BOT_RESOLUTION`). Bot conversations not yet ended are excluded
    (``still_open``).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> bot = Interaction(id="b", customer_id="C", channel="chat", started_at=t0,
        ...                   answered_at=t0, ended_at=t0, handled_by="bot")
        >>> call = Interaction(id="p", customer_id="D", channel="phone", started_at=t0)
        >>> bot_resolution_rate([bot, call], "all").value
        0.5
    """
    definition = BotDefinition(
        window=timedelta(0), denominator=denominator, followup="human", name="bot resolution"
    )
    return _count(interactions, definition, None, confidence, use_window=False)
