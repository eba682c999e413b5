"""The service report: KPIs, SLA attainment and the S8 scorecard for one period of data.

The S8 model holds that each of its eight pillars (availability, speed, accuracy, empathy,
proactivity, personalization, omnichannel, continuous learning) is worth something only when it
is measured. The scorecard gives each pillar one headline measure from :mod:`cs8.kpi` and
:mod:`cs8.sla`, a target you choose (:class:`ScorecardTargets`), and the verdict; every figure comes
with its sample size. ``cs8 report`` prints it.

Example:
    >>> from cs8.datasets import sample_shop
    >>> report = build_report(ServiceData.from_shop(sample_shop(n_customers=300, weeks=4)))
    >>> [row.pillar for row in report.scorecard][:3]
    ['availability', 'speed', 'accuracy']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from cs8._enums import ActorKind, Channel, Direction, Priority, SurveyKind
from cs8._models import Agent, Customer, Interaction, Order, SurveyResponse, Ticket
from cs8._time import require_aware
from cs8.kpi import (
    DurationStats,
    Rate,
    abandonment_rate,
    average_handle_time,
    average_speed_of_answer,
    ces,
    channel_handoff_rate,
    compare_nps,
    csat,
    first_contact_resolution,
    nps,
    proactive_rate,
    required_agents,
    service_level,
    ticket_summary,
)
from cs8.sla import BusinessCalendar, SlaMetric, SlaPolicy, SlaTarget, sla_report

__all__ = [
    "PillarScore",
    "ScorecardTargets",
    "ServiceData",
    "ServiceReport",
    "build_report",
    "default_policy",
]

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


@attrs.frozen(kw_only=True)
class ServiceData:
    """Everything a report reads: the records and the period, zone and opening hours.

    Example:
        >>> data = ServiceData(tickets=(), timezone="UTC")
        >>> data.calendar().timezone
        'UTC'
    """

    customers: tuple[Customer, ...] = attrs.field(default=(), converter=tuple)
    agents: tuple[Agent, ...] = attrs.field(default=(), converter=tuple)
    tickets: tuple[Ticket, ...] = attrs.field(default=(), converter=tuple)
    interactions: tuple[Interaction, ...] = attrs.field(default=(), converter=tuple)
    orders: tuple[Order, ...] = attrs.field(default=(), converter=tuple)
    surveys: tuple[SurveyResponse, ...] = attrs.field(default=(), converter=tuple)
    start: datetime | None = None
    end: datetime | None = None
    timezone: str = "UTC"
    hours: Mapping[str, Sequence[tuple[str, str]]] | None = None
    holidays: tuple[date, ...] = attrs.field(default=(), converter=tuple)
    source: str = "data"

    @classmethod
    def from_shop(cls, shop: Any) -> ServiceData:
        """Wrap a :class:`cs8.datasets.SampleShop`.

        Example:
            >>> from cs8.datasets import sample_shop
            >>> ServiceData.from_shop(sample_shop(n_customers=50, weeks=1)).timezone
            'Asia/Ho_Chi_Minh'
        """
        return cls(
            customers=shop.customers,
            agents=shop.agents,
            tickets=shop.tickets,
            interactions=shop.interactions,
            orders=shop.orders,
            surveys=shop.surveys,
            start=shop.start,
            end=shop.end,
            timezone=shop.timezone,
            hours=dict(shop.hours),
            holidays=shop.holidays,
            source=f"sample shop (seed {shop.seed})",
        )

    def calendar(self) -> BusinessCalendar:
        """Return the business calendar of the data (24/7 in its zone when no hours are known).

        Example:
            >>> ServiceData(timezone="Asia/Ho_Chi_Minh").calendar().is_open(
            ...     datetime.fromisoformat("2026-01-01T03:00:00+07:00"))
            True
        """
        if not self.hours:
            return BusinessCalendar.always_open(timezone=self.timezone)
        return BusinessCalendar(timezone=self.timezone, hours=self.hours, holidays=self.holidays)

    def period(self) -> tuple[datetime, datetime] | None:
        """Return ``(start, end)``: as given, or from the first and last recorded instants.

        Example:
            >>> ServiceData().period() is None
            True
        """
        if self.start is not None and self.end is not None:
            return self.start, self.end
        instants = [t.created_at for t in self.tickets] + [i.started_at for i in self.interactions]
        instants += [e.at for t in self.tickets for e in t.events[-1:]]
        if not instants:
            return None
        return min(instants), max(instants) + timedelta(seconds=1)


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


@attrs.frozen(kw_only=True)
class PillarScore:
    """One pillar of the S8 scorecard: its measure, value, target and verdict.

    ``met`` is ``None`` when there was nothing to measure.

    Example:
        >>> PillarScore(pillar="speed", measure="first replies within SLA", value=0.93,
        ...             shown="93.0%", target=">= 90.0%", met=True, n=120).status
        'met'
    """

    pillar: str
    measure: str
    value: float | None
    shown: str
    target: str
    met: bool | None
    n: int
    detail: str = ""

    @property
    def status(self) -> str:
        """``"met"``, ``"missed"`` or ``"no data"``."""
        return "no data" if self.met is None else ("met" if self.met else "missed")


@attrs.frozen(kw_only=True)
class ServiceReport:
    """The report: sections of labelled figures and the S8 scorecard.

    Example:
        >>> from cs8.datasets import sample_shop
        >>> report = build_report(ServiceData.from_shop(sample_shop(n_customers=100, weeks=2)))
        >>> report.to_text().splitlines()[0]
        'cs8 service report: sample shop (seed 0)'
    """

    title: str
    period: str
    counts: tuple[tuple[str, int], ...]
    sections: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    scorecard: tuple[PillarScore, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data.

        Example:
            >>> from cs8.datasets import sample_shop
            >>> sorted(build_report(ServiceData.from_shop(sample_shop(n_customers=50, weeks=1))).to_dict())
            ['counts', 'period', 'scorecard', 'sections', 'title']
        """
        return {
            "title": self.title,
            "period": self.period,
            "counts": dict(self.counts),
            "sections": {name: dict(rows) for name, rows in self.sections},
            "scorecard": [{**attrs.asdict(row), "status": row.status} for row in self.scorecard],
        }

    def to_json(self) -> str:
        """Return :meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        """Return the report as plain text for a terminal."""
        lines = [f"cs8 service report: {self.title}", f"period: {self.period}"]
        lines.append("records: " + ", ".join(f"{n} {name}" for name, n in self.counts))
        for name, rows in self.sections:
            lines += ["", name, "-" * len(name)]
            width = max((len(label) for label, _ in rows), default=0)
            lines += [f"  {label.ljust(width)}  {value}" for label, value in rows]
        lines += ["", "S8 scorecard", "------------"]
        header = ("pillar", "measure", "value", "target", "status", "n")
        table = [header] + [
            (r.pillar, r.measure, r.shown, r.target, r.status, str(r.n)) for r in self.scorecard
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            lines.append(
                "  "
                + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
        met = sum(1 for r in self.scorecard if r.met)
        measured = sum(1 for r in self.scorecard if r.met is not None)
        lines.append(f"  {met} of {measured} measured pillars met their target")
        details = [r for r in self.scorecard if r.detail]
        if details:
            lines += ["", "notes:"] + [f"  {r.pillar}: {r.detail}" for r in details]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


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


def _pct(rate: Rate) -> str:
    if rate.n == 0:
        return "n/a (n=0)"
    return f"{rate.value:.1%} [{rate.ci_low:.1%}, {rate.ci_high:.1%}] n={rate.n}"


def _dur(value: timedelta | None) -> str:
    if value is None:
        return "n/a"
    seconds = int(value.total_seconds())
    if seconds < 120:
        return f"{value.total_seconds():.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.1f}m"
    return f"{seconds / 3600:.1f}h"


def _stats(stats: DurationStats) -> str:
    if stats.n == 0:
        return "n/a (n=0)"
    return (
        f"median {_dur(stats.median)}, p90 {_dur(stats.p90)}, mean {_dur(stats.mean)}, n={stats.n}"
    )


def _score(
    pillar: str, measure: str, rate: Rate, target: float, *, higher: bool = True, detail: str = ""
) -> PillarScore:
    if rate.n == 0:
        return PillarScore(
            pillar=pillar, measure=measure, value=None, shown="n/a", target="", met=None, n=0
        )
    met = rate.value >= target if higher else rate.value <= target
    sign = ">=" if higher else "<="
    return PillarScore(
        pillar=pillar,
        measure=measure,
        value=rate.value,
        shown=f"{rate.value:.1%}",
        target=f"{sign} {target:.1%}",
        met=met,
        n=rate.n,
        detail=detail,
    )


def _language_match(tickets: Iterable[Ticket], agents: Iterable[Agent]) -> Rate:
    from cs8.kpi import RateState

    speaks = {a.id: a.languages for a in agents}
    state = RateState()
    for ticket in tickets:
        if ticket.language is None or ticket.assignee not in speaks:
            continue
        state = state.add(ticket.language in speaks[ticket.assignee])
    return state.result()


def _channel_switch_rate(interactions: Sequence[Interaction]) -> Rate:
    from cs8.kpi import RateState

    by_id = {i.id: i for i in interactions}
    state = RateState()
    for contact in interactions:
        if contact.direction is not Direction.INBOUND or contact.handled_by is not ActorKind.AGENT:
            continue
        previous = by_id.get(contact.previous_id) if contact.previous_id else None
        state = state.add(previous is not None and previous.channel is not contact.channel)
    return state.result()


def build_report(
    data: ServiceData,
    *,
    now: datetime | None = None,
    policy: SlaPolicy | None = None,
    targets: ScorecardTargets | None = None,
) -> ServiceReport:
    """Compute the KPIs, SLA attainment and S8 scorecard of ``data``.

    Args:
        data: The records and their period.
        now: The instant to evaluate open SLA clocks at (default: the end of the period).
        policy: The SLA policy (default: :func:`default_policy` on the data's calendar).
        targets: The scorecard targets.

    Example:
        >>> from cs8.datasets import sample_shop
        >>> report = build_report(ServiceData.from_shop(sample_shop(n_customers=200, weeks=2)))
        >>> len(report.scorecard)
        8
    """
    targets = targets or ScorecardTargets()
    calendar = data.calendar()
    policy = policy or default_policy(calendar)
    period = data.period()
    if now is None:
        now = period[1] if period else datetime.now().astimezone()
    now = require_aware(now, "build_report(now)")
    tickets = [t for t in data.tickets if t.created_at < now]
    contacts = list(data.interactions)
    live = [
        i
        for i in contacts
        if i.channel in (Channel.PHONE, Channel.CHAT)
        and i.handled_by is ActorKind.AGENT
        and i.direction is Direction.INBOUND
    ]
    phone = [i for i in live if i.channel is Channel.PHONE]
    surveys = list(data.surveys)

    summary = ticket_summary(tickets)
    summary_biz = ticket_summary(tickets, calendar)
    fcr = first_contact_resolution(tickets)
    sl = service_level(live, threshold=targets.answer_within)
    abandon = abandonment_rate(live)
    asa = average_speed_of_answer(live)
    aht = average_handle_time(phone)
    csat_rate = csat(surveys)
    nps_result = nps(surveys)
    ces_mean = ces(surveys)
    sla = sla_report(tickets, policy, now=now, customers=data.customers, timezone=data.timezone)

    clock = "business hours" if data.hours else "24/7 calendar"
    sections: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    sections.append(
        (
            "Tickets",
            (
                ("first reply time (calendar)", _stats(summary.first_reply_time)),
                (f"first reply time ({clock})", _stats(summary_biz.first_reply_time)),
                ("resolution time (calendar)", _stats(summary.resolution_time)),
                (f"resolution time ({clock})", _stats(summary_biz.resolution_time)),
                ("reopen rate", _pct(summary.reopen_rate)),
                ("one-touch rate", _pct(summary.one_touch_rate)),
                ("first contact resolution", _pct(fcr)),
                ("open at end of period", str(sum(1 for t in tickets if t.is_open))),
            ),
        )
    )
    rows = [
        (f"service level ({int(targets.answer_within.total_seconds())}s, phone+chat)", _pct(sl)),
        ("abandonment rate", _pct(abandon)),
        ("average speed of answer", _stats(asa)),
        ("average handle time (phone)", _stats(aht)),
    ]
    staffing = _busiest_hour_staffing(phone, targets)
    if staffing:
        rows.append(("Erlang C staffing, busiest hour", staffing))
    sections.append(("Contact centre", tuple(rows)))
    nps_text = (
        f"{nps_result.value:+.1f} [{nps_result.ci_low:+.1f}, {nps_result.ci_high:+.1f}] n={nps_result.n}"
        if nps_result.n
        else "n/a (n=0)"
    )
    ces_text = (
        f"{ces_mean.value:.2f} of 7 [{ces_mean.ci_low:.2f}, {ces_mean.ci_high:.2f}] n={ces_mean.n}"
        if ces_mean.n
        else "n/a (n=0)"
    )
    sections.append(
        (
            "Surveys",
            (("CSAT (share of 4-5)", _pct(csat_rate)), ("NPS", nps_text), ("CES (mean)", ces_text)),
        )
    )
    sla_rows = []
    for metric in (SlaMetric.FIRST_REPLY, SlaMetric.NEXT_REPLY, SlaMetric.RESOLUTION):
        row = sla.rate(metric)
        if row is not None:
            sla_rows.append(
                (f"{metric.value.replace('_', ' ')} within target", f"{row.value:.1%} of {row.n}")
            )
    sla_rows.append(("breaches", str(len(sla.breaches))))
    sla_rows.append((f"at risk within {_dur(sla.horizon)}", str(len(sla.at_risk))))
    sections.append((f"SLA ({policy.name} policy, {clock})", tuple(sla_rows)))

    first_reply = sla.rate(SlaMetric.FIRST_REPLY)
    from cs8.kpi import RateState

    first_reply_rate = (
        RateState().add_counts(first_reply.achieved, first_reply.n).result()
        if first_reply is not None
        else RateState().result()
    )
    scorecard = [
        _score("availability", f"live contacts answered within {int(targets.answer_within.total_seconds())}s", sl, targets.service_level,
               detail=f"abandonment {abandon.value:.1%} of {abandon.n}" if abandon.n else ""),
        _score("speed", "first replies within SLA", first_reply_rate, targets.first_reply_sla,
               detail=f"median first reply {_dur(summary_biz.first_reply_time.median)} ({clock})"),
        _score("accuracy", "first contact resolution", fcr, targets.first_contact_resolution,
               detail=f"reopen rate {summary.reopen_rate.value:.1%}" if summary.reopen_rate.n else ""),
        _score("empathy", "CSAT (share of 4-5)", csat_rate, targets.csat),
        _score("proactivity", "contacts started by the business", proactive_rate(contacts), targets.proactive),
        _score("personalization", "tickets handled in the customer's language", _language_match(tickets, data.agents), targets.language_match),
        _score("omnichannel", "contacts that had to switch channel", _channel_switch_rate(contacts), targets.channel_switch, higher=False,
               detail=f"bot and channel handoffs {channel_handoff_rate(contacts).value:.1%} of contacts"),
        _learning(surveys, period, targets),
    ]  # fmt: skip
    counts = (
        ("customers", len(data.customers)),
        ("agents", len(data.agents)),
        ("tickets", len(tickets)),
        ("interactions", len(contacts)),
        ("orders", len(data.orders)),
        ("survey responses", len(surveys)),
    )
    shown_period = f"{period[0].isoformat()} to {period[1].isoformat()}" if period else "empty"
    return ServiceReport(
        title=data.source,
        period=f"{shown_period} ({data.timezone})",
        counts=counts,
        sections=tuple(sections),
        scorecard=tuple(scorecard),
    )


def _busiest_hour_staffing(phone: Sequence[Interaction], targets: ScorecardTargets) -> str:
    from collections import Counter

    answered = [i for i in phone if i.answered_at is not None]
    if len(answered) < 10:
        return ""
    per_hour = Counter(i.started_at.replace(minute=0, second=0, microsecond=0) for i in phone)
    hour, calls = per_hour.most_common(1)[0]
    seconds = sum(i.handle_time.total_seconds() for i in answered) / len(answered)
    staffing = required_agents(
        calls=calls,
        period=timedelta(hours=1),
        aht=timedelta(seconds=seconds),
        target_answer_time=targets.answer_within,
        service_level=targets.service_level,
        shrinkage=0.3,
    )
    return (
        f"{calls} call(s) at {hour:%Y-%m-%d %H:00}, AHT {seconds:.0f}s -> {staffing.agents} "
        f"agent(s) on the phones, {staffing.scheduled} scheduled (30% shrinkage)"
    )


def _learning(
    surveys: Sequence[SurveyResponse],
    period: tuple[datetime, datetime] | None,
    targets: ScorecardTargets,
) -> PillarScore:
    answers = [r for r in surveys if r.kind is SurveyKind.NPS]
    if period is None or len(answers) < 20:
        return PillarScore(pillar="continuous learning", measure="NPS change, 1st to 2nd half", value=None,
                           shown="n/a", target="", met=None, n=len(answers))  # fmt: skip
    middle = period[0] + (period[1] - period[0]) / 2
    first = [r for r in answers if r.at < middle]
    second = [r for r in answers if r.at >= middle]
    comparison = compare_nps(second, first)
    change = comparison.difference
    # Met unless NPS fell by more than the target allows with evidence (p < 0.05).
    met = change >= targets.nps_change or comparison.p_value >= 0.05
    return PillarScore(
        pillar="continuous learning",
        measure="NPS change, 1st to 2nd half",
        value=change,
        shown=f"{change:+.1f} pts",
        target=f">= {targets.nps_change:+.1f} pts (or not significant)",
        met=met,
        n=len(first) + len(second),
        detail=f"p = {comparison.p_value:.2f} (two-sided z test, {len(first)} vs {len(second)} answers)",
    )
