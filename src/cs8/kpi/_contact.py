"""Contact-centre KPIs: service level, abandonment, speed of answer, handle time, occupancy, mix.

Every KPI reads :class:`cs8.Interaction` values. Inbound contacts are *answered* when
``answered_at`` is set and *abandoned* when they ended without an answer; contacts still waiting are
excluded as ``in_progress``, outbound ones as ``outbound`` and bot sessions as ``bot`` (unless
``include_bots=True``). Abandons quicker than ``short_abandon`` are dropped from every count and
reported as ``short_abandon``.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Interaction
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    >>> s = timedelta(seconds=1)
    >>> calls = [
    ...     Interaction(id="1", customer_id="C", channel="phone", started_at=t0, answered_at=t0 + 10 * s),
    ...     Interaction(id="2", customer_id="C", channel="phone", started_at=t0, answered_at=t0 + 40 * s),
    ...     Interaction(id="3", customer_id="C", channel="phone", started_at=t0, ended_at=t0 + 30 * s),
    ... ]
    >>> service_level(calls).value, service_level(calls, abandon_policy="ignore").value
    (0.3333333333333333, 0.5)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import ClassVar, Literal, TypeAlias

import attrs

from cs8._display import DictReprMixin, DictsReprMixin, format_value
from cs8._enums import ActorKind, Channel, Direction
from cs8._frozen import FrozenDict
from cs8._models import Interaction
from cs8.exceptions import InvalidValueError
from cs8.kpi._columnar import (
    abandonment_rate_frame,
    average_handle_time_frame,
    average_speed_of_answer_frame,
    occupancy_frame,
    service_level_frame,
)
from cs8.kpi._definitions import _duration_state
from cs8.kpi._durations import DurationState
from cs8.kpi._kpi import kpi, with_frame
from cs8.kpi._stats import Rate, RateState

__all__ = [
    "ChannelMix",
    "Ratio",
    "abandonment_rate",
    "average_handle_time",
    "average_speed_of_answer",
    "channel_handoff_rate",
    "channel_mix",
    "occupancy",
    "proactive_issue_rate",
    "proactive_rate",
    "service_level",
]

AbandonPolicy: TypeAlias = Literal["ignore", "negative", "positive", "exclude_early"]
_POLICIES = ("ignore", "negative", "positive", "exclude_early")


def _us(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _check_duration(value: timedelta, name: str) -> int:
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise InvalidValueError(f"{name} must be a non-negative timedelta, got {value!r}")
    return _us(value)


class _Sorter:
    """Classifies inbound contacts as answered or abandoned, counting the left-out ones."""

    __slots__ = ("excluded", "include_bots", "short")

    def __init__(self, short_abandon: timedelta, include_bots: bool) -> None:
        self.short = _check_duration(short_abandon, "short_abandon")
        self.include_bots = include_bots
        self.excluded: Counter[str] = Counter()

    def wait(self, c: Interaction) -> tuple[bool, int] | None:
        """Return ``(answered, wait in microseconds)`` or ``None`` when ``c`` is left out."""
        if c.direction is not Direction.INBOUND:
            self.excluded["outbound"] += 1
            return None
        if not self.include_bots and c.handled_by is ActorKind.BOT:
            self.excluded["bot"] += 1
            return None
        if c.answered_at is not None:
            return (True, _us(c.answered_at - c.started_at))
        if c.ended_at is None:
            self.excluded["in_progress"] += 1
            return None
        wait = _us(c.ended_at - c.started_at)
        if wait < self.short:
            self.excluded["short_abandon"] += 1
            return None
        return (False, wait)


@kpi(RateState.result, frame=service_level_frame)
def service_level(
    interactions: Iterable[Interaction],
    threshold: timedelta = timedelta(seconds=20),
    abandon_policy: AbandonPolicy = "negative",
    *,
    short_abandon: timedelta = timedelta(0),
    include_bots: bool = False,
) -> RateState:
    """Return the share of contacts answered within ``threshold``, under an abandon policy.

    With ``A`` answered, ``A_T`` answered within T, ``B`` abandoned and ``B_T`` abandoned within T:

    - ``"ignore"``: ``A_T / A``
    - ``"negative"``: ``A_T / (A + B)`` (the default)
    - ``"positive"``: ``(A_T + B_T) / (A + B)``
    - ``"exclude_early"``: ``A_T / (A + B - B_T)``

    Args:
        interactions: The contacts.
        threshold: The answer-time target T; a wait equal to T is within it.
        abandon_policy: How abandoned contacts count.
        short_abandon: Abandons with a wait below this are dropped from every count.
        include_bots: Count bot-handled sessions too.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> s = timedelta(seconds=1)
        >>> calls = [Interaction(id="1", customer_id="C", channel="phone", started_at=t0,
        ...                      answered_at=t0 + 5 * s),
        ...          Interaction(id="2", customer_id="C", channel="phone", started_at=t0,
        ...                      ended_at=t0 + 3 * s)]
        >>> service_level(calls, abandon_policy="positive").value
        1.0
        >>> service_level(calls, short_abandon=timedelta(seconds=5)).value
        1.0
    """
    if abandon_policy not in _POLICIES:
        raise InvalidValueError(
            f"abandon_policy must be one of {list(_POLICIES)}, got {abandon_policy!r}"
        )
    limit = _check_duration(threshold, "threshold")
    sorter = _Sorter(short_abandon, include_bots)
    answered = answered_in = abandoned = abandoned_in = 0
    for c in interactions:
        got = sorter.wait(c)
        if got is None:
            continue
        ok, wait = got
        if ok:
            answered += 1
            if wait <= limit:
                answered_in += 1
        else:
            abandoned += 1
            if wait <= limit:
                abandoned_in += 1
    if abandon_policy == "ignore":
        hits, n = answered_in, answered
        if abandoned:
            sorter.excluded["abandoned"] += abandoned
    elif abandon_policy == "negative":
        hits, n = answered_in, answered + abandoned
    elif abandon_policy == "positive":
        hits, n = answered_in + abandoned_in, answered + abandoned
    else:
        hits, n = answered_in, answered + abandoned - abandoned_in
        if abandoned_in:
            sorter.excluded["abandoned_within_threshold"] += abandoned_in
    return RateState(successes=hits, n=n, excluded=dict(sorter.excluded))


@kpi(RateState.result, frame=abandonment_rate_frame)
def abandonment_rate(
    interactions: Iterable[Interaction],
    short_abandon: timedelta = timedelta(0),
    *,
    include_bots: bool = False,
) -> RateState:
    """Return abandoned / (answered + abandoned), dropping abandons quicker than ``short_abandon``.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> gone = Interaction(id="1", customer_id="C", channel="phone", started_at=t0,
        ...                    ended_at=t0 + timedelta(seconds=30))
        >>> abandonment_rate([gone]).value
        1.0
    """
    sorter = _Sorter(short_abandon, include_bots)
    hits = n = 0
    for c in interactions:
        got = sorter.wait(c)
        if got is None:
            continue
        n += 1
        if not got[0]:
            hits += 1
    return RateState(successes=hits, n=n, excluded=dict(sorter.excluded))


@kpi(DurationState.result, frame=average_speed_of_answer_frame)
def average_speed_of_answer(
    interactions: Iterable[Interaction], *, include_bots: bool = False, exact: bool = True
) -> DurationState:
    """Return the waits of answered contacts (``.mean`` is the ASA).

    Abandoned contacts are excluded as ``abandoned``. ``exact=False`` keeps a 1 % quantile sketch
    beyond ``SKETCH_LIMIT`` values (see :func:`cs8.kpi.first_reply_time`).

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> call = Interaction(id="1", customer_id="C", channel="phone", started_at=t0,
        ...                    answered_at=t0 + timedelta(seconds=12))
        >>> average_speed_of_answer([call]).mean
        datetime.timedelta(seconds=12)
    """
    sorter = _Sorter(timedelta(0), include_bots)
    out: list[int] = []
    for c in interactions:
        got = sorter.wait(c)
        if got is None:
            continue
        if got[0]:
            out.append(got[1])
        else:
            sorter.excluded["abandoned"] += 1
    return _duration_state(out, dict(sorter.excluded), exact)


@kpi(DurationState.result, frame=average_handle_time_frame)
def average_handle_time(
    interactions: Iterable[Interaction], *, include_bots: bool = False, exact: bool = True
) -> DurationState:
    """Return talk + hold + wrap time of answered contacts (``.mean`` is the AHT).

    Outbound contacts count here (they are handled too); unanswered ones are excluded as
    ``unanswered``. ``exact=False``: as in :func:`average_speed_of_answer`.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> m = timedelta(minutes=1)
        >>> call = Interaction(id="1", customer_id="C", channel="phone", started_at=t0,
        ...                    answered_at=t0, talk_time=4 * m, hold_time=m, wrap_time=m)
        >>> average_handle_time([call]).mean
        datetime.timedelta(seconds=360)
    """
    excluded: Counter[str] = Counter()
    out: list[int] = []
    for c in interactions:
        if not include_bots and c.handled_by is ActorKind.BOT:
            excluded["bot"] += 1
            continue
        if c.answered_at is None:
            excluded["unanswered"] += 1
            continue
        out.append(_us(c.talk_time) + _us(c.hold_time) + _us(c.wrap_time))
    return _duration_state(out, dict(excluded), exact)


@attrs.frozen(kw_only=True)
class Ratio(DictReprMixin):
    """A ratio of two durations, such as occupancy (handle time over staffed time).

    Example:
        >>> from datetime import timedelta
        >>> r = Ratio(value=0.5, numerator=timedelta(hours=1), denominator=timedelta(hours=2))
        >>> print(r)
        Ratio 50.0%
          numerator    01:00:00.0
          denominator  02:00:00.0
    """

    value: float
    numerator: timedelta
    denominator: timedelta

    def to_dict(self) -> dict[str, object]:
        """Return the result as a plain dict.

        Example:
            >>> from datetime import timedelta
            >>> Ratio(value=1.0, numerator=timedelta(1), denominator=timedelta(1)).to_dict()["value"]
            1.0
        """
        return {"value": self.value, "numerator": self.numerator, "denominator": self.denominator}

    _hidden: ClassVar[frozenset[str]] = frozenset({"value"})

    def _title(self) -> str:
        return f"Ratio {format_value(self.value, percent=True)}"


@with_frame(occupancy_frame)
def occupancy(
    interactions: Iterable[Interaction],
    staffed_time: timedelta,
    *,
    include_bots: bool = False,
) -> Ratio:
    """Return occupancy: total handle time of answered contacts over the agents' staffed time.

    ``staffed_time`` is the time agents were available or busy (logged in, not on break) in the
    same period, summed over agents.

    Raises:
        InvalidValueError: If ``staffed_time`` is not positive.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> call = Interaction(id="1", customer_id="C", channel="phone", started_at=t0,
        ...                    answered_at=t0, talk_time=timedelta(minutes=45))
        >>> occupancy([call], staffed_time=timedelta(hours=1)).value
        0.75
    """
    if not isinstance(staffed_time, timedelta) or staffed_time <= timedelta(0):
        raise InvalidValueError(f"staffed_time must be a positive timedelta, got {staffed_time!r}")
    total = 0
    for c in interactions:
        if c.answered_at is None or (not include_bots and c.handled_by is ActorKind.BOT):
            continue
        total += _us(c.talk_time) + _us(c.hold_time) + _us(c.wrap_time)
    busy = timedelta(microseconds=total)
    return Ratio(value=total / _us(staffed_time), numerator=busy, denominator=staffed_time)


@attrs.frozen(kw_only=True, repr=False)
class ChannelMix(DictsReprMixin):
    """How contacts split across channels: a :class:`Rate` (share of all contacts) per channel.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> mix = channel_mix([Interaction(id=str(i), customer_id="C", channel=ch, started_at=t0)
        ...                    for i, ch in enumerate(["phone", "chat", "chat", "email"])])
        >>> mix.shares[Channel.CHAT].value, mix.n
        (0.5, 4)
    """

    __repr__ = DictsReprMixin._short_repr

    shares: FrozenDict[Channel, Rate]
    n: int

    def to_dict(self) -> dict[str, object]:
        """Return channel value to share, plus ``n``.

        Example:
            >>> ChannelMix(shares=FrozenDict(), n=0).to_dict()
            {'n': 0, 'shares': {}}
        """
        return {"n": self.n, "shares": {ch.value: r.value for ch, r in self.shares.items()}}

    def to_dicts(self) -> list[dict[str, object]]:
        """Return one row per channel: channel, count, share and its interval.

        Example:
            >>> ChannelMix(shares=FrozenDict(), n=0).to_dicts()
            []
        """
        return [
            {
                "channel": ch.value,
                "count": r.successes,
                "share": r.value,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
            }
            for ch, r in self.shares.items()
        ]

    _percent: ClassVar[frozenset[str]] = frozenset({"share", "ci_low", "ci_high"})

    def _title(self) -> str:
        return f"Channel mix (n={self.n})"


def channel_mix(interactions: Iterable[Interaction]) -> ChannelMix:
    """Return each channel's share of all contacts, largest first, with Wilson intervals.

    Example:
        >>> channel_mix([]).n
        0
    """
    counts = Counter(c.channel for c in interactions)
    n = sum(counts.values())
    shares = {ch: Rate.of(k, n, max_width=None) for ch, k in counts.most_common()}
    return ChannelMix(shares=FrozenDict(shares), n=n)


def channel_handoff_rate(interactions: Iterable[Interaction]) -> Rate:
    """Return the share of contacts that continue one on another channel, or a bot session.

    A contact is a handoff when its ``previous_id`` names a contact on a different channel, or a
    bot-handled contact while this one is handled by a person. Contacts whose ``previous_id`` is not
    among ``interactions`` are excluded as ``previous_unknown``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> bot = Interaction(id="1", customer_id="C", channel="chat", started_at=t0, handled_by="bot")
        >>> human = Interaction(id="2", customer_id="C", channel="chat", started_at=t0,
        ...                     previous_id="1")
        >>> channel_handoff_rate([bot, human]).value
        0.5
    """
    data = list(interactions)
    by_id = {c.id: c for c in data}
    hits = n = 0
    unknown = 0
    bot = ActorKind.BOT
    for c in data:
        prev_id = c.previous_id
        if prev_id is None:
            n += 1
            continue
        prev = by_id.get(prev_id)
        if prev is None:
            unknown += 1
            continue
        n += 1
        if prev.channel is not c.channel or (prev.handled_by is bot and c.handled_by is not bot):
            hits += 1
    excluded = {"previous_unknown": unknown} if unknown else {}
    return RateState(successes=hits, n=n, excluded=excluded).result()


@kpi(RateState.result)
def proactive_rate(interactions: Iterable[Interaction]) -> RateState:
    """Return proactive outbound contacts over all contacts.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> out = Interaction(id="1", customer_id="C", channel="email", started_at=t0,
        ...                   direction="outbound", proactive=True)
        >>> inbound = Interaction(id="2", customer_id="C", channel="email", started_at=t0)
        >>> proactive_rate([out, inbound]).value
        0.5
    """
    hits = n = 0
    outbound = Direction.OUTBOUND
    for c in interactions:
        n += 1
        if c.proactive and c.direction is outbound:
            hits += 1
    return RateState(successes=hits, n=n)


def proactive_issue_rate(interactions: Iterable[Interaction]) -> Rate:
    """Return the share of issues (ticket ids) the business reached before the customer reported it.

    An issue counts when its earliest contact is a proactive outbound one (ties: the proactive
    contact wins only if strictly earlier than every inbound contact). Contacts without a
    ``ticket_id`` are excluded as ``no_ticket``.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Interaction
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> warn = Interaction(id="1", customer_id="C", channel="sms", started_at=t0,
        ...                    direction="outbound", proactive=True, ticket_id="T1")
        >>> call = Interaction(id="2", customer_id="C", channel="phone",
        ...                    started_at=t0 + timedelta(hours=1), ticket_id="T1")
        >>> proactive_issue_rate([warn, call]).value
        1.0
    """
    first_proactive: dict[str, datetime] = {}
    first_inbound: dict[str, datetime] = {}
    issues: set[str] = set()
    no_ticket = 0
    for c in interactions:
        tid = c.ticket_id
        if tid is None:
            no_ticket += 1
            continue
        issues.add(tid)
        if c.direction is Direction.OUTBOUND:
            if c.proactive and (tid not in first_proactive or c.started_at < first_proactive[tid]):
                first_proactive[tid] = c.started_at
        elif tid not in first_inbound or c.started_at < first_inbound[tid]:
            first_inbound[tid] = c.started_at
    hits = 0
    for tid in issues:
        reached = first_proactive.get(tid)
        reported = first_inbound.get(tid)
        if reached is not None and (reported is None or reached < reported):
            hits += 1
    excluded = {"no_ticket": no_ticket} if no_ticket else {}
    return RateState(successes=hits, n=len(issues), excluded=excluded).result()
