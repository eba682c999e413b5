"""The S8 scorecard: each pillar's headline measure, its target, the verdict and the trend.

The S8 model holds that each of its eight pillars is worth something only when it is measured.
Each pillar gets one measure from :mod:`cs8.kpi` or :mod:`cs8.sla`, a target you choose
(:class:`ScorecardTargets`) and the verdict; the trend compares the last period with the one before.

Two pillars also read what the bots and the customers' words say, when the data has them
(:attr:`PillarScore.supporting`, each with its own target and verdict):

- availability: bot containment (:func:`cs8.text.bot_containment`: bot conversations that ended
  without a handoff and with no contact with a person within 72 hours, over the bot conversations
  that can be decided), when there are bot conversations;
- empathy: the share of customer contacts and messages that read negative (``Interaction.sentiment``,
  else :func:`cs8.text.sentiment` of the transcript or message text; polarity at most -0.05), when
  any was scored.

When a pillar's headline measure has nothing to measure (no live contacts, no CSAT answers) and a
supporting one has, the supporting measure becomes the headline and gives the pillar's verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Literal

import attrs

from cs8._enums import ActorKind, Channel, Direction, Priority, SurveyKind
from cs8._models import Agent, Interaction, SurveyResponse, Ticket
from cs8.kpi import (
    NpsState,
    Rate,
    RateState,
    compare_nps,
    csat,
    first_contact_resolution,
    proactive_rate,
    service_level,
)
from cs8.sla import BusinessCalendar, SlaMetric, SlaPolicy, SlaTarget
from cs8.text import BotDefinition
from cs8.text._bot import _cutoff, containment_state
from cs8.text._polarity import polarities

__all__ = ["PILLARS", "PillarScore", "ScorecardTargets", "default_policy", "live_contacts"]

PILLARS = (
    "availability",
    "speed",
    "accuracy",
    "empathy",
    "proactivity",
    "personalization",
    "omnichannel",
    "continuous learning",
)
"""The eight S8 pillars, in the model's order."""

Trend = Literal["up", "down", "flat"]


@attrs.frozen(kw_only=True)
class ScorecardTargets:
    """The target of each S8 pillar's headline measure (all parameters, with common defaults).

    Attributes:
        service_level: Share of live contacts answered within ``answer_within`` (80/20 rule).
        answer_within: The service-level threshold.
        first_reply_sla: Share of first replies within the SLA policy's target.
        first_contact_resolution: Share of solved tickets resolved with at most one agent reply.
        csat: Share of CSAT answers of 4 or 5.
        proactive: Share of contacts the business started before the customer asked.
        language_match: Share of assigned tickets whose agent speaks the ticket's language.
        channel_switch: Highest acceptable share of contacts continuing another one on a new
            channel (customers who had to switch).
        nps_change: Lowest acceptable change of NPS from the first to the second half (points).
        shrinkage: Share of scheduled agent time not spent answering, for the staffing line.
        bot_containment: Share of bot conversations contained (availability's supporting
            measure; the seeds ask bots to answer 60-70 % of repeated questions).
        negative_sentiment: Highest acceptable share of customer contacts and messages that read
            negative (empathy's supporting measure).

    Example:
        >>> ScorecardTargets().service_level
        0.8
    """

    service_level: float = 0.8
    answer_within: timedelta = timedelta(seconds=20)
    first_reply_sla: float = 0.9
    first_contact_resolution: float = 0.7
    csat: float = 0.85
    proactive: float = 0.05
    language_match: float = 0.95
    channel_switch: float = 0.15
    nps_change: float = 0.0
    shrinkage: float = 0.3
    bot_containment: float = 0.6
    negative_sentiment: float = 0.15


@attrs.frozen(kw_only=True)
class PillarScore:
    """One pillar of the S8 scorecard: its measure, value, target, verdict and trend.

    Args:
        pillar: The pillar's name (one of :data:`PILLARS`).
        measure: The catalogue key of the measure (``"measure.csat"``).
        unit: ``"rate"`` (a fraction) or ``"points"`` (an NPS change).
        value: The value over the whole period; ``None`` when there was nothing to measure.
        target: The target, in the unit of ``value``.
        higher: Whether higher is better (``value >= target`` meets it).
        met: The verdict; ``None`` when there was nothing to measure.
        n: The sample size.
        latest: The value in the last period (for the trend).
        previous: The value in the period before it.
        p_value: The test behind a verdict that depends on significance (continuous learning).
        supporting: Further measures of the same pillar, each with its own target and verdict
            (bot containment for availability, negative sentiment for empathy).

    Example:
        >>> PillarScore(pillar="speed", measure="measure.first_reply_sla", value=0.93,
        ...             target=0.9, met=True, n=120, latest=0.95, previous=0.9).trend
        'up'
    """

    pillar: str
    measure: str
    unit: Literal["rate", "points"] = "rate"
    value: float | None
    target: float
    higher: bool = True
    met: bool | None
    n: int
    latest: float | None = None
    previous: float | None = None
    p_value: float | None = None
    supporting: tuple[PillarScore, ...] = ()

    @property
    def status(self) -> str:
        """``"met"``, ``"missed"`` or ``"no data"``."""
        return "no data" if self.met is None else ("met" if self.met else "missed")

    @property
    def trend(self) -> Trend | None:
        """``"up"``, ``"down"`` or ``"flat"`` (within one percentage point or NPS point)."""
        if self.latest is None or self.previous is None:
            return None
        change = self.latest - self.previous
        step = 0.01 if self.unit == "rate" else 1.0
        if abs(change) < step:
            return "flat"
        return "up" if change > 0 else "down"

    def to_dict(self) -> dict[str, object]:
        """Return JSON-ready numbers, with ``status`` and ``trend``.

        Example:
            >>> PillarScore(pillar="speed", measure="m", value=None, target=0.9, met=None,
            ...             n=0).to_dict()["status"]
            'no data'
        """
        out = {**attrs.asdict(self, recurse=False), "status": self.status, "trend": self.trend}
        out["supporting"] = [s.to_dict() for s in self.supporting]
        return out


def default_policy(calendar: BusinessCalendar) -> SlaPolicy:
    """Return a common SLA policy in business hours: first reply and resolution by priority.

    First reply: urgent 1 h, high 2 h, normal 4 h, low 8 h. Next reply: 8 h. Resolution: urgent
    8 h, high 16 h, normal 24 h, low 40 h. Pauses while pending or on hold.

    Example:
        >>> len(default_policy(BusinessCalendar.always_open()).targets)
        9
    """
    h = timedelta(hours=1)
    first = {Priority.URGENT: 1, Priority.HIGH: 2, Priority.NORMAL: 4, Priority.LOW: 8}
    resolve = {Priority.URGENT: 8, Priority.HIGH: 16, Priority.NORMAL: 24, Priority.LOW: 40}
    targets = [
        SlaTarget(metric=SlaMetric.FIRST_REPLY, within=hours * h, priority=[p], warnings=(0.75,))
        for p, hours in first.items()
    ]
    targets.append(SlaTarget(metric=SlaMetric.NEXT_REPLY, within=8 * h))
    targets += [
        SlaTarget(metric=SlaMetric.RESOLUTION, within=hours * h, priority=[p])
        for p, hours in resolve.items()
    ]
    return SlaPolicy(name="standard", calendar=calendar, targets=targets)


def live_contacts(interactions: Iterable[Interaction]) -> list[Interaction]:
    """Return the inbound phone and chat contacts handled by people (the service-level base).

    Example:
        >>> live_contacts([])
        []
    """
    return [
        i
        for i in interactions
        if i.channel in (Channel.PHONE, Channel.CHAT)
        and i.handled_by is ActorKind.AGENT
        and i.direction is Direction.INBOUND
    ]


def language_match(tickets: Iterable[Ticket], agents: Iterable[Agent]) -> RateState:
    """Assigned tickets whose agent speaks the ticket's language (personalization's state).

    Example:
        >>> language_match([], []).n
        0
    """
    speaks = {a.id: a.languages for a in agents}
    state = RateState()
    for ticket in tickets:
        if ticket.language is None or ticket.assignee not in speaks:
            continue
        state = state.add(ticket.language in speaks[ticket.assignee])
    return state


def _channel_switch(interactions: Sequence[Interaction]) -> RateState:
    by_id = {i.id: i for i in interactions}
    state = RateState()
    for contact in interactions:
        if contact.direction is not Direction.INBOUND or contact.handled_by is not ActorKind.AGENT:
            continue
        previous = by_id.get(contact.previous_id) if contact.previous_id else None
        state = state.add(previous is not None and previous.channel is not contact.channel)
    return state


@attrs.frozen(kw_only=True)
class Records:
    """The records one scorecard is computed on (the whole period, or one trend period)."""

    tickets: Sequence[Ticket]
    interactions: Sequence[Interaction]
    surveys: Sequence[SurveyResponse]
    agents: Sequence[Agent]
    first_reply_sla: Rate

    def within(self, start: datetime, end: datetime, sla: Rate) -> Records:
        """Return the records that started in ``[start, end)``, with that period's SLA rate."""
        return Records(
            tickets=[t for t in self.tickets if start <= t.created_at < end],
            interactions=[i for i in self.interactions if start <= i.started_at < end],
            surveys=[s for s in self.surveys if start <= s.at < end],
            agents=self.agents,
            first_reply_sla=sla,
        )


def _rates(records: Records, targets: ScorecardTargets) -> dict[str, Rate]:
    """Each rate pillar's measure on ``records``: one implementation for the period and its trend."""
    live = live_contacts(records.interactions)
    return {
        "availability": service_level(live, threshold=targets.answer_within),
        "speed": records.first_reply_sla,
        "accuracy": first_contact_resolution(records.tickets),
        "empathy": csat(records.surveys),
        "personalization": language_match(records.tickets, records.agents).result(),
        **contact_rates(records.interactions),
    }


def contact_rates(interactions: Sequence[Interaction]) -> dict[str, Rate]:
    """The measures read from the contacts as records: proactivity, omnichannel, bot containment.

    Bot containment is decided at the latest start or end of ``interactions``
    (:func:`cs8.text.bot_containment`'s default ``now``).

    Example:
        >>> sorted(contact_rates([]))
        ['bot_containment', 'omnichannel', 'proactivity']
    """
    found = contact_states(interactions, _cutoff(interactions, None))
    return {name: state.result() for name, state in found.items()}


def contact_states(
    interactions: Sequence[Interaction], cutoff: datetime | None
) -> dict[str, RateState]:
    """The mergeable states of :func:`contact_rates`, bot containment decided at ``cutoff``.

    The states of sets of whole customers add up to the state of their union when no contact of
    one set names a contact of another as ``previous_id`` (the engine report streams such sets).

    Example:
        >>> contact_states([], None)["omnichannel"].n
        0
    """
    return {
        "proactivity": proactive_rate.state(interactions),
        "omnichannel": _channel_switch(interactions),
        "bot_containment": containment_state(interactions, BotDefinition(), cutoff),
    }


_EVER = (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))
_NEGATIVE = -0.05
"""Polarity at or below which a text reads negative (VADER's usual cut, as :func:`cs8.text.sentiment`)."""


def negative_share(tickets: Iterable[Ticket], interactions: Iterable[Interaction]) -> RateState:
    """Customer contacts and messages that read negative, over those scored (a mergeable state).

    Example:
        >>> negative_share([], []).n
        0
    """
    read = polarities(tickets, interactions, _EVER[0], _EVER[1])
    values = [v for found in read.values() for v in found]
    return RateState(successes=sum(1 for v in values if v <= _NEGATIVE), n=len(values))


def _supporting_rates(records: Records) -> dict[str, Rate]:
    """The supporting measure that reads the tickets too (see the module documentation)."""
    return {"negative_sentiment": negative_share(records.tickets, records.interactions).result()}


_SUPPORTING: dict[str, tuple[str, str, Callable[[ScorecardTargets], float], bool]] = {
    "bot_containment": (
        "availability",
        "measure.bot_containment",
        lambda t: t.bot_containment,
        True,
    ),
    "negative_sentiment": (
        "empathy",
        "measure.negative_sentiment",
        lambda t: t.negative_sentiment,
        False,
    ),
}

_MEASURES: dict[str, tuple[str, Callable[[ScorecardTargets], float], bool]] = {
    "availability": ("measure.service_level", lambda t: t.service_level, True),
    "speed": ("measure.first_reply_sla", lambda t: t.first_reply_sla, True),
    "accuracy": ("measure.first_contact_resolution", lambda t: t.first_contact_resolution, True),
    "empathy": ("measure.csat", lambda t: t.csat, True),
    "proactivity": ("measure.proactive", lambda t: t.proactive, True),
    "personalization": ("measure.language_match", lambda t: t.language_match, True),
    "omnichannel": ("measure.channel_switch", lambda t: t.channel_switch, False),
}


def scorecard(
    whole: Records,
    latest: Records | None,
    previous: Records | None,
    period: tuple[datetime, datetime] | None,
    targets: ScorecardTargets,
) -> tuple[PillarScore, ...]:
    """Return the eight pillar scores of ``whole``, with trends from ``latest`` and ``previous``."""
    now = _rates(whole, targets) | _supporting_rates(whole)
    last = _rates(latest, targets) | _supporting_rates(latest) if latest is not None else {}
    before = _rates(previous, targets) | _supporting_rates(previous) if previous is not None else {}
    first, second = nps_halves(whole.surveys, period)
    return scorecard_of(now, last, before, learning(first, second, period, targets), targets)


def scorecard_of(
    now: Mapping[str, Rate],
    last: Mapping[str, Rate],
    before: Mapping[str, Rate],
    learned: PillarScore,
    targets: ScorecardTargets,
) -> tuple[PillarScore, ...]:
    """The pillar scores from each measure's rate over the whole period, the last period and the
    one before (empty mappings when there are no trend periods), and continuous learning's score.

    Shared by the object report and the DuckDB report (which computes the rates in the engine
    where they have an engine form); the measures' keys are the pillars and the supporting
    measures' names.
    """

    def value(rates: Mapping[str, Rate], key: str) -> float | None:
        rate = rates.get(key)
        return rate.value if rate is not None and rate.n else None

    def score(pillar: str, key: str, measure: str, target: float, higher: bool) -> PillarScore:
        rate = now[key]
        met = None if rate.n == 0 else (rate.value >= target if higher else rate.value <= target)
        return PillarScore(
            pillar=pillar,
            measure=measure,
            value=value(now, key),
            target=target,
            higher=higher,
            met=met,
            n=rate.n,
            latest=value(last, key),
            previous=value(before, key),
        )

    support: dict[str, list[PillarScore]] = {}
    for key, (pillar, measure, target_of, higher) in _SUPPORTING.items():
        if now[key].n:
            support.setdefault(pillar, []).append(
                score(pillar, key, measure, target_of(targets), higher)
            )
    rows = []
    for pillar, (measure, target_of, higher) in _MEASURES.items():
        row = score(pillar, pillar, measure, target_of(targets), higher)
        more = support.get(pillar, [])
        if row.n == 0 and more:  # nothing for the headline: a supporting measure stands in
            row, more = more[0], more[1:]
        rows.append(attrs.evolve(row, supporting=tuple(more)))
    rows.append(learned)
    return tuple(rows)


def nps_halves(
    surveys: Sequence[SurveyResponse], period: tuple[datetime, datetime] | None
) -> tuple[NpsState, NpsState]:
    """The NPS answers before and from the middle of ``period`` (none without a period).

    Example:
        >>> nps_halves([], None)[0].n
        0
    """
    answers = [r for r in surveys if r.kind is SurveyKind.NPS]
    if period is None:
        return NpsState(), NpsState()
    middle = period_middle(period)
    return (
        NpsState.of(r for r in answers if r.at < middle),
        NpsState.of(r for r in answers if r.at >= middle),
    )


def period_middle(period: tuple[datetime, datetime]) -> datetime:
    """The instant halfway through ``period`` (continuous learning compares its two halves).

    Example:
        >>> from datetime import timezone
        >>> start = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> period_middle((start, start + timedelta(days=2))).day
        3
    """
    return period[0] + (period[1] - period[0]) / 2


def learning(
    first: NpsState,
    second: NpsState,
    period: tuple[datetime, datetime] | None,
    targets: ScorecardTargets,
) -> PillarScore:
    """Continuous learning: the change of NPS from the first half of ``period`` to the second.

    Example:
        >>> learning(NpsState(), NpsState(), None, ScorecardTargets()).status
        'no data'
    """
    n = first.n + second.n
    # No change to measure when one half has no answers (a period stretched by one instant
    # dated long before the others leaves every answer in the second half).
    if period is None or n < 20 or not first.n or not second.n:
        return PillarScore(
            pillar="continuous learning",
            measure="measure.nps_change",
            unit="points",
            value=None,
            target=targets.nps_change,
            met=None,
            n=n,
        )
    comparison = compare_nps(second, first)
    change = comparison.difference
    # Met unless NPS fell by more than the target allows with evidence (p < 0.05).
    met = change >= targets.nps_change or comparison.p_value >= 0.05
    return PillarScore(
        pillar="continuous learning",
        measure="measure.nps_change",
        unit="points",
        value=change,
        target=targets.nps_change,
        met=met,
        n=n,
        p_value=comparison.p_value,
    )
